package io.pharos.controller.alert;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.Journal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every 250 ms, each controller looks at its own seat in the group and raises or clears its local
 * alerts at once, without a quorum: {@code ControllerMinority} (critical) while it is not with a
 * majority of the controllers - cut off, or the group below quorum - once it has been with one
 * since it started (a starting controller is not ready instead); {@code ControllerUnreachable}
 * (warning) per controller the acting leader has not heard from for two election timeouts. The
 * same tick runs the other things that must follow the group's state at once (the served zone).
 */
public final class ControlPlaneWatch implements AutoCloseable {
  static final long PERIOD_MS = 250;
  public static final String MINORITY = "ControllerMinority";
  public static final String UNREACHABLE = "ControllerUnreachable";
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneWatch.class);

  private final Journal raft;
  private final java.util.function.Supplier<Map<String, Long>> followers;
  private final LocalAlerts alerts;
  private final long unreachableAfterMs;
  private final List<Runnable> alsoEachTick;
  private final ErrorCounter errors;
  private final ScheduledExecutorService thread = DaemonThreads.single("pharos-control-plane-watch");
  private boolean everInMajority;

  /**
   * @param followers follower id to milliseconds since its last answer, while this controller leads
   * @param alsoEachTick run after the checks on every tick (the served zone's refresh)
   */
  public ControlPlaneWatch(Journal raft, java.util.function.Supplier<Map<String, Long>> followers, LocalAlerts alerts,
      long electionTimeoutMaxMs, ErrorCounter errors, List<Runnable> alsoEachTick) {
    this.raft = raft;
    this.followers = followers;
    this.alerts = alerts;
    this.unreachableAfterMs = 2 * electionTimeoutMaxMs;
    this.errors = errors;
    this.alsoEachTick = List.copyOf(alsoEachTick);
  }

  public ControlPlaneWatch start() {
    thread.scheduleWithFixedDelay(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  void tick() {
    try {
      check();
      alsoEachTick.forEach(Runnable::run);
    } catch (RuntimeException e) {
      errors.record(LOG, "control-plane.watch", "the control-plane watch failed; continuing", e);
    }
  }

  private void check() {
    boolean inMajority = raft.inMajority();
    everInMajority |= inMajority;
    alerts.set(everInMajority && !inMajority, MINORITY, "CRITICAL", "*", "this controller is not with a majority"
        + " of the controllers (Raft role " + raft.role().name().toLowerCase() + ", leader "
        + raft.leaderId().orElse("unknown") + "): it changes nothing and its name server answers from the last"
        + " committed zone, removing only regions its own region's agents see failing (fail-static)");
    Map<String, Long> followers = raft.role() == Journal.Role.LEADER ? this.followers.get() : Map.of();
    for (var f : followers.entrySet()) {
      alerts.set(f.getValue() >= unreachableAfterMs, UNREACHABLE, "WARNING", f.getKey(), "controller " + f.getKey()
          + " has not answered the leader for " + f.getValue() / 1000.0 + " s");
    }
    for (LocalAlerts.Alert a : alerts.active()) {
      if (a.code().equals(UNREACHABLE) && !followers.containsKey(a.subject())) {
        alerts.clear(UNREACHABLE, a.subject()); // no longer leading: the leader's view is the one that counts
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
