package io.pharos.core.journal;

import io.pharos.core.model.FencingToken;
import java.util.Map;

/**
 * The weights live at the DNS provider as the journal knows them. For the embedded provider this
 * is exactly what every controller serves.
 *
 * @param weights record name to region to weight
 * @param token token of the intent that set them ({@link FencingToken#NONE} for the config's base)
 * @param serial SOA serial, bumped on every change
 */
public record ZoneState(Map<String, Map<String, Integer>> weights, FencingToken token, long serial) {
  public ZoneState {
    java.util.Objects.requireNonNull(token, "token");
    if (serial < 0) {
      throw new IllegalArgumentException("serial must not be negative, was " + serial);
    }
    Map<String, Map<String, Integer>> copy = new java.util.TreeMap<>();
    weights.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(v))));
    weights = java.util.Collections.unmodifiableMap(copy);
  }
}
