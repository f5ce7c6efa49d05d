package io.pharos.core.model;

/**
 * One probe result, as the agent saw it.
 *
 * @param targetRegion region whose endpoint was probed
 * @param endpointId endpoint id within that region
 * @param ok whether the probe passed every check (status, body, latency budget)
 * @param latencyMicros time the probe took
 * @param status HTTP status, or 0 for non-HTTP probes and failures before a response
 * @param failure why it failed, NONE when ok
 * @param at agent clock, epoch millis, when the probe finished (orders results; never used for
 *     liveness)
 */
public record Observation(
    String targetRegion, String endpointId, boolean ok, int latencyMicros, int status, FailureKind failure, long at) {

  public static Observation up(String region, String endpoint, int latencyMicros, int status, long at) {
    return new Observation(region, endpoint, true, latencyMicros, status, FailureKind.NONE, at);
  }

  public static Observation down(
      String region, String endpoint, int latencyMicros, int status, FailureKind failure, long at) {
    return new Observation(region, endpoint, false, latencyMicros, status, failure, at);
  }
}
