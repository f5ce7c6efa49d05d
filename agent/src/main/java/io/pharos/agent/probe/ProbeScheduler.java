package io.pharos.agent.probe;

import io.pharos.core.config.ProbeSettings;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Probes every target, each probe starting on the grid of {@code probes.tick}. Not thread-safe (except its
 * counters): it runs on one Vert.x context (the timer's), which also completes the probes' futures.
 *
 * <ul>
 *   <li>The first probe of each target waits a random delay in {@code [0, jitter)}, so a restarted
 *       agent does not probe everything at once.
 *   <li>Then one probe per endpoint interval, measured from when the previous probe was due.
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
  /** The probes waiting for each grid point (monotonic ms), each point on one timer. */
  private final Map<Long, Batch> batches = new HashMap<>();
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
      long interval = t.endpoint().interval().toMillis();
      slots.add(new Slot(t, settings.tickFor(Math.min(interval, settings.confirmAfter().toMillis()))));
    }
  }

  public void start() {
    if (running) {
      return;
    }
    running = true;
    long jitter = settings.jitter() == null ? 0 : settings.jitter().toMillis();
    for (Slot s : slots) {
      at(jitter <= 0 ? 0 : random.nextLong(jitter), s, false);
    }
  }

  /** Cancels every pending probe; results of probes still in flight are dropped. */
  public void stop() {
    running = false;
    for (Batch b : batches.values()) {
      timer.cancel(b.timerId);
    }
    batches.clear();
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

  /**
   * Starts the slot's next probe at the grid point nearest to {@code delay} from now, never now itself: on the
   * timer of that point, made by the first probe waiting for it.
   */
  private void at(long delay, Slot s, boolean confirmation) {
    long now = timer.nowMillis();
    // the next interval runs from here, not from the grid point: rounding does not add up over the rounds
    s.plannedAt = now + Math.max(0, delay);
    long tick = s.tick;
    long point = Math.floorDiv(now + Math.max(1, delay) + tick / 2, tick) * tick;
    if (point <= now) {
      point += tick;
    }
    Batch b = batches.get(point);
    if (b == null) {
      b = new Batch();
      long key = point;
      b.timerId = timer.schedule(point - now, () -> fire(key));
      batches.put(point, b);
    }
    b.slots.add(s);
    b.confirmations.add(confirmation);
  }

  private void fire(long point) {
    Batch b = batches.remove(point);
    if (b == null) {
      return;
    }
    for (int i = 0; i < b.slots.size(); i++) {
      fire(b.slots.get(i), b.confirmations.get(i));
    }
  }

  private void fire(Slot s, boolean confirmation) {
    if (!running || s.inFlight) {
      return;
    }
    s.inFlight = true;
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
    at(wait / 2 + random.nextLong(Math.max(1, wait)), s, confirmation);
  }

  /** The next probe of the slot: a confirmation soon, or at the interval from when the last one was due. */
  private void schedule(Slot s, boolean confirm) {
    long delay = confirm ? pause(s, true) : Math.max(0, s.plannedAt + pause(s, false) - timer.nowMillis());
    at(delay, s, confirm);
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
    /** When its current or last probe was due, before the grid moved it. */
    long plannedAt;
    /** Its grid: {@link ProbeSettings#tickFor}. */
    final long tick;

    Slot(ProbeTarget target, long tick) {
      this.target = target;
      this.tick = tick;
    }
  }

  /** The probes of one grid point, and whether each is a confirmation. */
  private static final class Batch {
    final List<Slot> slots = new ArrayList<>(4);
    final List<Boolean> confirmations = new ArrayList<>(4);
    long timerId;
  }
}
