package io.pharos.core.config;

import java.time.Duration;

/**
 * Probe and report timing shared by agents and controllers.
 *
 * @param interval time between probes of one endpoint
 * @param timeout probe timeout
 * @param confirmAfter delay of the confirmation probe after a result flips
 * @param jitter maximum random delay before an endpoint's first probe (no storm after restart)
 * @param downAfter consecutive failed probes before a vantage sees an endpoint failing
 * @param upAfter consecutive good probes before a vantage sees it up again
 * @param heartbeat time between reports of an agent (a report is also its heartbeat)
 * @param silenceAfter an agent not heard from for this long is silent
 * @param maxReportAge a report older than this on arrival (skew allowed for) is late: kept, not
 *     counted as a fresh vote
 * @param agentExpiry an agent not heard from for this long is forgotten by the controllers (its
 *     trackers too, and a tracker of an endpoint an agent stopped reporting): every pod restart
 *     brings a new agent id, and the old ones must not pile up
 */
public record ProbeSettings(
    Duration interval,
    Duration timeout,
    Duration confirmAfter,
    Duration jitter,
    int downAfter,
    int upAfter,
    Duration heartbeat,
    Duration silenceAfter,
    Duration maxReportAge,
    Duration agentExpiry) {
  /** How long an agent is remembered when {@code probes.agentExpiry} is not set. */
  public static final Duration DEFAULT_AGENT_EXPIRY = Duration.ofMinutes(10);

  /** Settings with the default {@link #agentExpiry}. */
  public ProbeSettings(Duration interval, Duration timeout, Duration confirmAfter, Duration jitter, int downAfter,
      int upAfter, Duration heartbeat, Duration silenceAfter, Duration maxReportAge) {
    this(interval, timeout, confirmAfter, jitter, downAfter, upAfter, heartbeat, silenceAfter, maxReportAge,
        DEFAULT_AGENT_EXPIRY);
  }
}
