package io.pharos.agent.probe;

import io.pharos.core.config.ProbeSettings;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Probes every target on its own timer. Not thread-safe (except its counters): it runs on one Vert.x context (the
 * timer's), which also completes the probes' futures.
 *
 * <ul>
 *   <li>The first probe of each target waits a random delay in {@code [0, jitter)}, so a restarted
 *       agent does not probe everything at once.
 *   <li>Then one probe per endpoint interval, measured from the start of the previous probe.
 *   <li>After a flip, and while the run of equal results since that flip is shorter than
 *       {@code downAfter} (failures) or {@code upAfter} (successes), the next probe comes
 *       {@code confirmAfter} after the previous one finished: a failure at t is confirmed at
 *       t+250 ms and t+500 ms, not a second later each.
 *   <li>The next probe is only scheduled when the previous one finished: never two in flight.
 *   <li>A skipped probe ({@link ProbeSkipped}: the agent had no room for it) is tried again after a
 *       random delay in [½, 1½) of what a made probe would wait, not at the same phase: when the agent
 *       has room for only part of its targets, the same targets would otherwise find it full every
 *       round and never be probed, while the others always are. Random phases share the room out.
 * </ul>
 */
public final class ProbeScheduler {
  private final List<Slot> slots = new ArrayList<>();
  private final ProbeSettings settings;
  private final Probe probe;
  private final ProbeTimer timer;
  private final RandomGenerator random;
  private final Consumer<ProbeResult> listener;
  private final Clock clock;
  private boolean running;
  // Written on the scheduler's context only; volatile so that status pages may read them.
  private volatile long probesRun;
  private volatile long probesSkipped;
  private volatile int probedOnce;

  public ProbeScheduler(List<ProbeTarget> targets, ProbeSettings settings, Probe probe, ProbeTimer timer,
      RandomGenerator random, Clock clock, Consumer<ProbeResult> listener) {
    this.settings = settings;
    this.clock = clock;
    this.probe = probe;
    this.timer = timer;
    this.random = random;
    this.listener = listener;
    for (ProbeTarget t : targets) {
      slots.add(new Slot(t));
    }
  }

  public void start() {
    if (running) {
      return;
    }
    running = true;
    long jitter = settings.jitter() == null ? 0 : settings.jitter().toMillis();
    for (Slot s : slots) {
      long delay = jitter <= 0 ? 0 : random.nextLong(jitter);
      s.timerId = timer.schedule(delay, () -> fire(s, false));
    }
  }

  /** Cancels every pending probe; results of probes still in flight are dropped. */
  public void stop() {
    running = false;
    for (Slot s : slots) {
      if (s.timerId >= 0) {
        timer.cancel(s.timerId);
        s.timerId = -1;
      }
    }
  }

  public long probesRun() {
    return probesRun;
  }

  /** Probes not made because the agent had no room for them ({@link ProbeSkipped}). */
  public long probesSkipped() {
    return probesSkipped;
  }

  public int targets() {
    return slots.size();
  }

  /** How many targets have at least one result. */
  public int probedOnce() {
    return probedOnce;
  }

  /** Every target has been probed at least once since start. */
  public boolean firstRoundDone() {
    return probedOnce == slots.size();
  }

  private void fire(Slot s, boolean confirmation) {
    s.timerId = -1;
    if (!running || s.inFlight) {
      return;
    }
    s.inFlight = true;
    s.startedAt = timer.nowMillis();
    Future<Observation> f;
    try {
      f = probe.probe(s.target);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ProbeSkipped) {
        skipped(s, confirmation);
        return;
      }
      // A probe reports failures as observations; a failed future is a bug, still counted as down.
      Observation o = ar.succeeded() ? ar.result() : Observation.down(s.target.region(),
          s.target.endpoint().id(), 0, 0, FailureKind.OTHER, clock.millis());
      done(s, o, confirmation);
    });
  }

  /**
   * Not probed (the agent had no room): no result, counted, and tried again about when it would have
   * been, at a random phase (see the class comment).
   */
  private void skipped(Slot s, boolean confirmation) {
    s.inFlight = false;
    probesSkipped++;
    if (!running) {
      return;
    }
    long wait = pause(s, confirmation);
    s.timerId = timer.schedule(wait / 2 + random.nextLong(Math.max(1, wait)), () -> fire(s, confirmation));
  }

  /** The next probe of the slot: a confirmation soon, or at the interval from the last one's start. */
  private void schedule(Slot s, boolean confirm) {
    long delay = confirm ? pause(s, true) : Math.max(0, s.startedAt + pause(s, false) - timer.nowMillis());
    s.timerId = timer.schedule(delay, () -> fire(s, confirm));
  }

  /** From one probe to the next: the confirmation delay (never over the interval), or the interval. */
  private long pause(Slot s, boolean confirm) {
    long interval = s.target.endpoint().interval().toMillis();
    return confirm ? Math.min(settings.confirmAfter().toMillis(), interval) : interval;
  }

  private void done(Slot s, Observation o, boolean confirmation) {
    s.inFlight = false;
    if (!running) {
      return;
    }
    probesRun++;
    boolean first = s.lastOk == null;
    if (first) {
      probedOnce++;
    }
    boolean flip = first ? !o.ok() : s.lastOk != o.ok();
    if (flip) {
      s.run = 1;
      s.confirming = true;
    } else {
      s.run++;
    }
    s.lastOk = o.ok();
    int needed = o.ok() ? settings.upAfter() : settings.downAfter();
    if (s.confirming && s.run >= needed) {
      s.confirming = false;
    }
    listener.accept(new ProbeResult(s.target, o, flip, confirmation));
    if (!running) {
      return; // the listener may have stopped us
    }
    schedule(s, s.confirming);
  }

  /** Scheduling state of one target. */
  private static final class Slot {
    final ProbeTarget target;
    Boolean lastOk;
    int run;
    boolean confirming;
    boolean inFlight;
    long startedAt;
    long timerId = -1;

    Slot(ProbeTarget target) {
      this.target = target;
    }
  }
}
