package io.pharos.dns.reconcile;

import java.util.Objects;

/**
 * A record set the provider rejected on its own (found by bisecting the batch); everything else
 * of the batch was applied.
 *
 * @param record the record's name
 * @param region the region whose set was rejected
 * @param reason the provider's answer
 */
public record Rejected(String record, String region, String reason) {
  public Rejected {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return record + " " + region + ": " + reason;
  }
}
