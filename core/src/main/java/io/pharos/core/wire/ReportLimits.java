package io.pharos.core.wire;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.Capacity;

/**
 * How large a report frame can honestly be, derived from the config: every endpoint probed as
 * often as the probe settings allow within one heartbeat (confirmation probes included), with the
 * names the config gives them. Agents split their reports at {@link #frameBytes()}; controllers
 * drop anything above {@link #acceptBytes()} before reading it, so a 1 MB frame from anyone costs
 * a length check, not a queue slot.
 *
 * @param frameBytes the largest frame an agent with this config builds (MAC included)
 * @param acceptBytes the largest frame a controller with this config reads: twice
 *     {@code frameBytes}, so that agents whose config gained endpoints during a rolling config
 *     change are not cut off
 */
public record ReportLimits(int frameBytes, int acceptBytes) {
  /** An agent's agent id may be this long (see AgentOptions); the header is sized for it. */
  static final int MAX_AGENT_ID_BYTES = ReportCodec.MAX_STRING;
  /** Room for probes beyond the steady rate: a flip, a confirmation started late, a slow turn. */
  static final int SLACK_PER_ENDPOINT = 2;

  public static ReportLimits of(PharosConfig config) {
    long heartbeat = Math.max(1, config.probes().heartbeat().toMillis());
    long confirm = Math.max(1, config.probes().confirmAfter().toMillis());
    String longestRegion = "";
    long observations = 0;
    for (RegionConfig r : config.regions()) {
      if (r.name().length() > longestRegion.length()) {
        longestRegion = r.name();
      }
      for (EndpointConfig e : r.endpoints()) {
        long shortest = Math.max(1, Math.min(e.interval().toMillis(), confirm));
        // the probe grid may start one up to half a tick early
        long fastest = Math.max(1, shortest - config.probes().tickFor(shortest) / 2);
        long perReport = (heartbeat + fastest - 1) / fastest + SLACK_PER_ENDPOINT;
        observations += perReport * ReportCodec.observationBytes(r.name(), e.id());
      }
      if (r.capacity() != null) {
        long every = Math.max(1, Capacity.interval(config.probes()).toMillis());
        observations += ((heartbeat + every - 1) / every + SLACK_PER_ENDPOINT)
            * ReportCodec.observationBytes(r.name(), Capacity.ENDPOINT);
      }
    }
    long header = ReportCodec.FIXED_HEADER_BYTES + longestRegion.length() + MAX_AGENT_ID_BYTES;
    long frame = header + observations + ReportSigner.MAC_LENGTH;
    // at least one observation of the longest names fits, whatever the timing
    long floor = header + ReportCodec.observationBytes(longestRegion, "x".repeat(ReportCodec.MAX_STRING))
        + ReportSigner.MAC_LENGTH;
    int frameBytes = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(frame, floor));
    return new ReportLimits(frameBytes, frameBytes * 2);
  }
}
