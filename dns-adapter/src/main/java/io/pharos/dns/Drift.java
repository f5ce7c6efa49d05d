package io.pharos.dns;

import java.util.Objects;

/**
 * A difference between what a provider serves and what Pharos last wrote or the config says,
 * that no decision explains: somebody changed a record by hand, or a write was half lost.
 * Providers report the structural kinds in {@link ZoneSnapshot#drift()}; the reconciler adds
 * {@link Kind#WEIGHT} by comparing with the journal.
 *
 * @param record the record's name (the zone apex for the fencing record)
 * @param region the region (Route 53 SetIdentifier) concerned, or empty for the whole record
 * @param kind what differs
 * @param detail what was found and what was expected, for the alert text
 */
public record Drift(String record, String region, Kind kind, String detail) {
  public Drift {
    Objects.requireNonNull(record, "record");
    region = region == null ? "" : region;
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** What differs. */
  public enum Kind {
    /** a weight differs from the journal's */
    WEIGHT,
    /** the addresses, alias or CNAME target differ from the config */
    TARGETS,
    /** the TTL differs from the config */
    TTL,
    /** a record set Pharos writes is missing */
    MISSING,
    /** a record set Pharos did not write sits where it steers (never removed automatically) */
    UNEXPECTED,
    /** the fencing record is missing, unreadable or holds a token the journal does not know */
    FENCING
  }

  /** Whether a rewrite from the config can put it back (unexpected sets are left to a person). */
  public boolean repairable() {
    return kind != Kind.UNEXPECTED && kind != Kind.FENCING;
  }

  @Override
  public String toString() {
    return record + (region.isEmpty() ? "" : " " + region) + " " + kind.name().toLowerCase() + ": " + detail;
  }
}
