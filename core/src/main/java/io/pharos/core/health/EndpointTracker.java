package io.pharos.core.health;

import io.pharos.core.model.Observation;

/**
 * What one agent has seen of one endpoint: consecutive-up/down counts with hysteresis and the
 * error rate over its last {@link #WINDOW} probes. A probe counts as failed when it failed any
 * check or took longer than the latency budget.
 */
public final class EndpointTracker {
  /** Probes in the error-rate window. */
  public static final int WINDOW = 64;

  /** What this vantage currently believes about the endpoint. */
  public enum State {
    UNKNOWN,
    UP,
    FAILING
  }

  private final int downAfter;
  private final int upAfter;
  private final long latencyBudgetMicros;
  private final double failingErrorRate;
  private State state = State.UNKNOWN;
  private int consecutiveDown;
  private int consecutiveUp;
  private long window; // bit i set = probe i failed, newest in bit 0
  private int samples;
  private long firstFailureAt; // agent clock of the first probe of the current failing run
  private long lastAt;
  private long lastReceivedAt;
  private long lastFailureReceivedAt;
  private final ErrorWindow sustained;

  public EndpointTracker(int downAfter, int upAfter, long latencyBudgetMicros, double failingErrorRate) {
    this(downAfter, upAfter, latencyBudgetMicros, failingErrorRate, 300_000);
  }

  /**
   * @param sustainedWindowMs the window of {@link #sustainedErrorRate} ({@code policy.degradedAfter})
   */
  public EndpointTracker(int downAfter, int upAfter, long latencyBudgetMicros, double failingErrorRate,
      long sustainedWindowMs) {
    this.downAfter = downAfter;
    this.upAfter = upAfter;
    this.latencyBudgetMicros = latencyBudgetMicros;
    this.failingErrorRate = failingErrorRate;
    this.sustained = new ErrorWindow(sustainedWindowMs);
  }

  /** Feeds one probe result; returns true when the state changed. */
  public boolean observe(Observation o) {
    return observe(o, 0);
  }

  /**
   * Feeds one probe result received at {@code receivedAt} (controller clock); returns true when
   * the state changed.
   */
  public boolean observe(Observation o, long receivedAt) {
    boolean failed = !o.ok() || o.latencyMicros() > latencyBudgetMicros;
    if (failed) {
      lastFailureReceivedAt = Math.max(lastFailureReceivedAt, receivedAt);
    }
    lastAt = o.at();
    lastReceivedAt = Math.max(lastReceivedAt, receivedAt);
    sustained.add(receivedAt > 0 ? receivedAt : o.at(), failed);
    window = (window << 1) | (failed ? 1 : 0);
    samples = Math.min(samples + 1, WINDOW);
    if (failed) {
      if (consecutiveDown == 0) {
        firstFailureAt = o.at();
      }
      consecutiveDown++;
      consecutiveUp = 0;
    } else {
      consecutiveUp++;
      consecutiveDown = 0;
    }
    // a run of good probes wins over the windowed rate: after a long outage the window stays
    // full of failures for a minute, and that must not keep a recovered endpoint FAILING
    State next = state;
    if (consecutiveUp >= upAfter) {
      next = State.UP;
    } else if (consecutiveDown >= downAfter || (failed && samples >= WINDOW / 4 && errorRate() > failingErrorRate)) {
      next = State.FAILING;
    }
    boolean changed = next != state;
    if (changed && state == State.FAILING && next == State.UP) {
      // a recovery restarts the error-rate windows: the outage's own failures are not a degradation
      window = 0;
      samples = 0;
      sustained.restart();
    }
    state = next;
    return changed;
  }

  public State state() {
    return state;
  }

  /** Share of failed probes among the last {@link #WINDOW} (or fewer, at start). */
  public double errorRate() {
    if (samples == 0) {
      return 0;
    }
    long mask = samples == 64 ? -1L : (1L << samples) - 1;
    return Long.bitCount(window & mask) / (double) samples;
  }

  public int samples() {
    return samples;
  }

  /** Failed probes among the last {@link #WINDOW}. */
  public int failures() {
    long mask = samples == 64 ? -1L : (1L << samples) - 1;
    return Long.bitCount(window & mask);
  }

  /**
   * The error rate sustained over the window ending at {@code now} (controller clock): the lower of
   * its two halves' rates, so a burst does not count as sustained; -1 until the window has been
   * watched in full since the tracker started or last recovered.
   */
  public double sustainedErrorRate(long now) {
    return sustained.full(now) ? Math.max(0, sustained.sustainedRate(now)) : -1;
  }

  /** The error rate over the newer half of the sustained window, or -1 before it is full. */
  public double recentErrorRate(long now) {
    return sustained.full(now) ? Math.max(0, sustained.recentRate(now)) : -1;
  }

  /** Agent-clock time of the first failed probe of the current run of failures, or 0. */
  public long firstFailureAt() {
    return consecutiveDown > 0 || state == State.FAILING ? firstFailureAt : 0;
  }

  /** Whether the latest probe failed (a failure not yet confirmed still counts). */
  public boolean wobbling() {
    return consecutiveDown > 0 || state == State.FAILING;
  }

  /** Controller clock when the latest failed probe was received, or 0. */
  public long lastFailureReceivedAt() {
    return lastFailureReceivedAt;
  }

  public long lastAt() {
    return lastAt;
  }

  /** Controller clock when the latest probe result was received, or 0 (fed without a receive time). */
  public long lastReceivedAt() {
    return lastReceivedAt;
  }
}
