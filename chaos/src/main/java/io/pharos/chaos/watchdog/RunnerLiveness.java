package io.pharos.chaos.watchdog;

/**
 * How long the runner has been silent, on the watchdog's own monotonic clock: the time since its
 * heartbeat counter last moved. Wall clocks play no part (the runner's may be stepped by NTP, and
 * the watchdog never compares it with its own). Pure: the caller passes the time.
 *
 * <p>Tolerant of the watchdog's own stalls: a CPU stall or GC pause that freezes the runner
 * usually freezes the watchdog too. When two looks are further apart than {@code stallAfterNanos},
 * the watchdog was not running either, and the silence it would see is not the runner's fault: it
 * starts counting again from that look.
 */
final class RunnerLiveness {
  private final long stallAfterNanos;
  private long lastBeat = Long.MIN_VALUE;
  private long beatSeenAt;
  private long lastLookAt;
  private boolean looked;
  private long ownStalls;

  RunnerLiveness(long stallAfterNanos) {
    this.stallAfterNanos = stallAfterNanos;
  }

  /**
   * One look at the lease: the runner's heartbeat counter {@code beat} at {@code nowNanos}
   * (System.nanoTime of the watchdog). Returns how long the runner has been silent, in ms.
   */
  long look(long beat, long nowNanos) {
    if (!looked) {
      looked = true;
      beatSeenAt = nowNanos;
    } else if (nowNanos - lastLookAt > stallAfterNanos) {
      ownStalls++;
      beatSeenAt = nowNanos; // the watchdog was frozen too: give the runner a fresh chance
    }
    lastLookAt = nowNanos;
    if (beat != lastBeat) {
      lastBeat = beat;
      beatSeenAt = nowNanos;
    }
    return (nowNanos - beatSeenAt) / 1_000_000;
  }

  /** Times the watchdog found it had been stalled itself. */
  long ownStalls() {
    return ownStalls;
  }
}
