package io.pharos.dns;

import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider serves at one moment. Carrying the token and serial with the weights lets a new
 * leader tell whether an unfinished intent already reached DNS before it plans again.
 *
 * @param weights record name to region to weight, as served (a missing set counts as 0)
 * @param token token in the provider's fencing record ({@link FencingToken#NONE} if none)
 * @param serial the zone's SOA serial, or a provider-specific change counter (0 when none)
 * @param drift structural differences from the config the provider found while reading
 */
public record ZoneSnapshot(
    Map<String, Map<String, Integer>> weights, FencingToken token, long serial, List<Drift> drift) {
  public ZoneSnapshot {
    weights = Weights.copyOf(Objects.requireNonNull(weights, "weights"));
    Objects.requireNonNull(token, "token");
    drift = List.copyOf(drift);
  }

  /** A snapshot without drift. */
  public ZoneSnapshot(Map<String, Map<String, Integer>> weights, FencingToken token, long serial) {
    this(weights, token, serial, List.of());
  }

  public static ZoneSnapshot of(ZoneState state) {
    return new ZoneSnapshot(state.weights(), state.token(), state.serial());
  }

  /** The weight of one region of one record; 0 when either is unknown. */
  public int weight(String record, String region) {
    return Weights.of(weights, record, region);
  }

  /** The same zone after a change under {@code newToken} took it to {@code newWeights}. */
  public ZoneSnapshot after(Map<String, Map<String, Integer>> newWeights, FencingToken newToken, List<Drift> left) {
    return new ZoneSnapshot(newWeights, newToken, serial, left);
  }
}
