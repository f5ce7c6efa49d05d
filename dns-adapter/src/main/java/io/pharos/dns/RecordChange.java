package io.pharos.dns;

import java.util.Objects;

/**
 * One weight that a plan changes. Keeping {@code from} lets an apply check that the zone still
 * holds what the plan was made against, and makes the plan readable on its own in logs.
 */
public record RecordChange(String record, String region, int from, int to) {
  public RecordChange {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(region, "region");
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException("weights must not be negative, was " + from + " -> " + to);
    }
    if (from == to) {
      throw new IllegalArgumentException(record + " " + region + " does not change (" + from + ")");
    }
  }

  /** {@code app.pharos.test b 30 -> 0}. */
  @Override
  public String toString() {
    return record + " " + region + " " + from + " -> " + to;
  }
}
