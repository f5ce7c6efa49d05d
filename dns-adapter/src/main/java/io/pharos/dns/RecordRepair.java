package io.pharos.dns;

import java.util.Objects;

/**
 * A record set a plan rewrites from the config although its weight does not change, because it
 * drifted (wrong targets or TTL, missing). Only made when the drift policy says to repair.
 *
 * @param record the record's name
 * @param region the region whose set is rewritten
 * @param reason the drift that asked for it, for the audit log
 */
public record RecordRepair(String record, String region, String reason) {
  public RecordRepair {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return "repair " + record + " " + region + " (" + reason + ")";
  }
}
