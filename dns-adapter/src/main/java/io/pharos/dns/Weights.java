package io.pharos.dns;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helpers for the record → region → weight maps passed across the SPI. Copies are immutable and
 * sorted so that plans, logs and snapshots print the same way on every controller.
 */
public final class Weights {
  private Weights() {}

  /** An immutable, name-sorted deep copy. */
  public static Map<String, Map<String, Integer>> copyOf(Map<String, Map<String, Integer>> weights) {
    TreeMap<String, Map<String, Integer>> copy = new TreeMap<>();
    weights.forEach((record, regions) -> copy.put(record, Collections.unmodifiableMap(new TreeMap<>(regions))));
    return Collections.unmodifiableMap(copy);
  }

  /** The weight of one region of one record; 0 when either is unknown. */
  public static int of(Map<String, Map<String, Integer>> weights, String record, String region) {
    Map<String, Integer> regions = weights.get(record);
    Integer w = regions == null ? null : regions.get(region);
    return w == null ? 0 : w;
  }
}
