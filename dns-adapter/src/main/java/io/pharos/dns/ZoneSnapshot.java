package io.pharos.dns;

import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider serves at one moment. Carrying the token and serial with the weights lets a new
 * leader tell whether an unfinished intent already reached DNS before it plans again.
 *
 * @param weights record name to region to weight, as served
 * @param token token of the last change the provider accepted ({@link FencingToken#NONE} if none)
 * @param serial the zone's SOA serial, or a provider-specific change counter
 */
public record ZoneSnapshot(Map<String, Map<String, Integer>> weights, FencingToken token, long serial) {
  public ZoneSnapshot {
    weights = Weights.copyOf(Objects.requireNonNull(weights, "weights"));
    Objects.requireNonNull(token, "token");
  }

  public static ZoneSnapshot of(ZoneState state) {
    return new ZoneSnapshot(state.weights(), state.token(), state.serial());
  }

  /** The weight of one region of one record; 0 when either is unknown. */
  public int weight(String record, String region) {
    return Weights.of(weights, record, region);
  }
}
