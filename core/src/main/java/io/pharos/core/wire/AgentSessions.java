package io.pharos.core.wire;

import io.pharos.core.model.Report;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per agent (region and id): the boot it is in, which of that boot's counters were seen, and the
 * offset between the agent's monotonic clock and the controller's receive clock. Replay
 * protection and freshness for {@link ReportVerifier}; thread-safe (frames of one agent arrive on
 * two topics, possibly on two threads: each agent's state is guarded by its own lock).
 *
 * <p><b>Replay.</b> Within a boot a counter counts once. A counter seen before is a
 * {@link RejectReason#DUPLICATE} while it comes within {@link #DUPLICATE_WINDOW_MS} of the first
 * copy and is not a third copy of the same bytes (agents send every frame twice, and re-sign a
 * retried frame); otherwise, or below the last {@link #WINDOW} counters, it is
 * {@link RejectReason#REPLAYED}. A new boot ends the current one (its frames are then replays) when
 * it is plausibly the same agent restarted: it started after the current boot, and its wall clock
 * is within {@link #BOOT_SKEW_TOLERANCE_MS} of the current boot's (a captured frame of an older
 * boot carries an old wall clock). A boot that is not plausible is refused until the agent's state
 * expires. So a forged counter or boot, which needs the region's key, ends at most the victim's
 * current boot: its next boot is plausible again.
 *
 * <p><b>Freshness.</b> A report is late (kept, not a fresh vote) when the time it spent on the way
 * plus the time the agent held it exceeds {@code maxReportAge}. The time on the way is the
 * controller's receive time minus the agent's uptime at sending, less the smallest such difference
 * among the boot's last {@link #BASELINE_SAMPLES} reports (the fastest delivery: skew-free, since
 * both clocks are the agent's monotonic one and the controller's own). The agent's wall clock plays
 * no part, so a fast agent clock cannot make a buffered report fresh, and a slow one cannot silence
 * an agent. The baseline is per boot.
 */
final class AgentSessions {
  /** Counters of a boot remembered below the highest (out-of-order copies from the two paths). */
  static final int WINDOW = 64;
  /** A copy of a seen counter later than this after the first is a replay, not a path's late copy. */
  static final long DUPLICATE_WINDOW_MS = 30_000;
  /** A new boot whose wall clock differs more from the current boot's is not taken for a restart. */
  static final long BOOT_SKEW_TOLERANCE_MS = 60_000;
  /** Ended boots remembered per agent. */
  static final int ENDED_BOOTS = 8;
  /** Deliveries whose fastest sets the baseline: a controller clock step is absorbed after these. */
  static final int BASELINE_SAMPLES = 8;

  private final ConcurrentHashMap<String, Agent> agents = new ConcurrentHashMap<>();
  private final long maxAgeMs;
  private final long expiryMs;

  AgentSessions(long maxAgeMs, long expiryMs) {
    this.maxAgeMs = maxAgeMs;
    this.expiryMs = expiryMs;
  }

  /** What became of one authentic report. */
  sealed interface Outcome permits Admitted, Refused {}

  /**
   * @param late too old to count as a fresh vote
   * @param ageMs time on the way plus time held by the agent
   * @param skewMs the agent's wall clock behind the controller's (negative: ahead), network delay
   *     included; shown, never used for freshness
   * @param newBoot whether this report started a boot the controller had not seen
   */
  record Admitted(boolean late, long ageMs, long skewMs, boolean newBoot) implements Outcome {}

  record Refused(RejectReason reason, String message) implements Outcome {}

  /**
   * @param agent the report's {@code region/agentId}
   * @param macTag the first 8 bytes of the frame's MAC: tells a copy of the same bytes from a
   *     re-signed retry
   */
  Outcome admit(Report r, String agent, long macTag, long receivedAt) {
    Agent a = agents.computeIfAbsent(agent, k -> new Agent());
    synchronized (a) {
      Outcome o = a.admit(r, macTag, receivedAt);
      if (o instanceof Admitted) {
        a.lastHeard = receivedAt;
      }
      return o;
    }
  }

  /** Forgets agents not heard for the expiry; returns how many. */
  int expire(long now) {
    int before = agents.size();
    agents.values().removeIf(a -> a.lastHeard < now - expiryMs);
    return before - agents.size();
  }

  int size() {
    return agents.size();
  }

  private final class Agent {
    volatile long lastHeard = Long.MIN_VALUE;
    Boot boot;
    final long[] ended = new long[ENDED_BOOTS];
    int endedCount;
    int endedNext;

    Outcome admit(Report r, long macTag, long receivedAt) {
      if (boot == null) {
        boot = new Boot(r.bootId());
        return boot.admit(r, macTag, receivedAt, true);
      }
      if (r.bootId() == boot.id) {
        return boot.admit(r, macTag, receivedAt, false);
      }
      for (int i = 0; i < endedCount; i++) {
        if (ended[i] == r.bootId()) {
          return new Refused(RejectReason.REPLAYED, "a report of boot " + hex(r.bootId()) + ", which ended when boot "
              + hex(boot.id) + " began");
        }
      }
      long skew = skew(r, receivedAt);
      if (Math.abs(skew - boot.skew) > BOOT_SKEW_TOLERANCE_MS) {
        return new Refused(RejectReason.REPLAYED, "boot " + hex(r.bootId()) + "'s wall clock is "
            + (skew - boot.skew) / 1000 + " s off that of the agent's current boot " + hex(boot.id)
            + ": a report of an older boot replayed, or the agent's clock was stepped across a restart (its"
            + " reports are then accepted once the agent's state expires, security.agentStateExpiry)");
      }
      if (receivedAt - r.uptimeMillis() <= boot.baseline()) {
        return new Refused(RejectReason.REPLAYED, "boot " + hex(r.bootId()) + " started before the agent's current"
            + " boot " + hex(boot.id) + ": a report of an older boot replayed");
      }
      ended[endedNext] = boot.id;
      endedNext = (endedNext + 1) % ENDED_BOOTS;
      endedCount = Math.min(endedCount + 1, ENDED_BOOTS);
      boot = new Boot(r.bootId());
      return boot.admit(r, macTag, receivedAt, true);
    }
  }

  private final class Boot {
    final long id;
    long highest;
    final long[] slotCounter = new long[WINDOW];
    final long[] slotFirstSeen = new long[WINDOW];
    final long[] slotMac = new long[WINDOW];
    final int[] slotCopies = new int[WINDOW];
    final long[] samples = new long[BASELINE_SAMPLES];
    int sampleCount;
    int nextSample;
    long skew;

    Boot(long id) {
      this.id = id;
    }

    Outcome admit(Report r, long macTag, long receivedAt, boolean first) {
      long c = r.counter();
      int slot = (int) Math.floorMod(c, (long) WINDOW);
      if (c <= highest) {
        if (highest - c >= WINDOW) {
          return new Refused(RejectReason.REPLAYED, "counter " + c + " is below the replay window of boot "
              + hex(id) + " (highest " + highest + ")");
        }
        if (slotCounter[slot] == c) {
          return seenAgain(slot, c, macTag, receivedAt);
        }
        // not seen yet: a copy that took the slower path arrives after a later report
      }
      slotCounter[slot] = c;
      slotFirstSeen[slot] = receivedAt;
      slotMac[slot] = macTag;
      slotCopies[slot] = 1;
      highest = Math.max(highest, c);
      samples[nextSample] = receivedAt - r.uptimeMillis();
      nextSample = (nextSample + 1) % BASELINE_SAMPLES;
      sampleCount = Math.min(sampleCount + 1, BASELINE_SAMPLES);
      long onTheWay = receivedAt - r.uptimeMillis() - baseline();
      long age = onTheWay + r.heldMillis();
      skew = skew(r, receivedAt);
      return new Admitted(age > maxAgeMs, age, skew, first);
    }

    private Outcome seenAgain(int slot, long c, long macTag, long receivedAt) {
      long since = receivedAt - slotFirstSeen[slot];
      if (since > DUPLICATE_WINDOW_MS) {
        return new Refused(RejectReason.REPLAYED, "counter " + c + " of boot " + hex(id) + " was received "
            + since / 1000 + " s ago");
      }
      if (slotMac[slot] == macTag && ++slotCopies[slot] > 2) {
        return new Refused(RejectReason.REPLAYED, "a third copy of counter " + c + " of boot " + hex(id)
            + " (agents send two)");
      }
      return new Refused(RejectReason.DUPLICATE, "counter " + c + " of boot " + hex(id) + " already counted");
    }

    /** The fastest recent delivery: controller receive time minus agent uptime at sending. */
    long baseline() {
      long min = Long.MAX_VALUE;
      for (int i = 0; i < sampleCount; i++) {
        min = Math.min(min, samples[i]);
      }
      return min;
    }
  }

  /** The agent's wall clock behind the controller's at sending (network delay included). */
  private static long skew(Report r, long receivedAt) {
    return receivedAt - (r.sentAt() + r.heldMillis());
  }

  static String hex(long bootId) {
    return String.format("%016x", bootId);
  }
}
