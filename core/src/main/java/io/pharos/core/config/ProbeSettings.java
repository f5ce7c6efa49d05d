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
 * @param tick an agent starts its probes on multiples of this (monotonic time), each at the grid point nearest to
 *     when it is due: probes due close together start in one wake-up (zero: every probe at its own millisecond).
 *     An endpoint whose interval or confirmation delay is shorter than two ticks uses half of that instead
 *     ({@link #tickFor}), so the grid never moves a probe by more than a quarter of its pause
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
    Duration agentExpiry,
    Duration tick) {
  /** How long an agent is remembered when {@code probes.agentExpiry} is not set. */
  public static final Duration DEFAULT_AGENT_EXPIRY = Duration.ofMinutes(10);
  /** The probe grid when {@code probes.tick} is not set (docs/adr/0021). */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(50);

  /** Settings with the default {@link #agentExpiry} and no grid (every probe at its own millisecond). */
  public ProbeSettings(Duration interval, Duration timeout, Duration confirmAfter, Duration jitter, int downAfter,
      int upAfter, Duration heartbeat, Duration silenceAfter, Duration maxReportAge) {
    this(interval, timeout, confirmAfter, jitter, downAfter, upAfter, heartbeat, silenceAfter, maxReportAge,
        DEFAULT_AGENT_EXPIRY, Duration.ZERO);
  }

  /**
   * The grid, in ms, of an endpoint whose shortest pause between probes (its interval, or the confirmation
   * delay when that is shorter) is {@code shortestPauseMillis}: the tick, at most half that pause, at least 1.
   * A probe's start moves by up to half of it.
   */
  public long tickFor(long shortestPauseMillis) {
    return Math.max(1, Math.min(tick.toMillis(), shortestPauseMillis / 2));
  }
}
