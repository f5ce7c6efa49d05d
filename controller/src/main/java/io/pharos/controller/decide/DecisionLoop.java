package io.pharos.controller.decide;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.LogLimiter;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.DecisionEngine;
import io.pharos.core.decision.Step;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.ControlState;
import io.pharos.core.wire.ReportVerifier;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's single decision thread. Every controller runs one on every report it receives,
 * so all hold the same picture and a follower can take over at once; only the leader acts on the
 * resulting steps.
 *
 * <p>Event-driven: a step runs as soon as a report changes anything a decision depends on, and at
 * least every {@code TICK_MS} so that silence is noticed. Reports wait in a bounded queue; when it
 * is full they are dropped and counted (visible load shedding, never a silent stall).
 */
public final class DecisionLoop implements AutoCloseable {
  public static final long TICK_MS = 100;
  static final int QUEUE_CAPACITY = 100_000;
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);

  private record Frame(byte[] bytes, long receivedAt) {}

  private final String controllerId;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final Supplier<ControlState> control;
  private final Consumer<Step> onStep;
  private final ReportVerifier verifier;
  private final ViewAggregator aggregator;
  private final DecisionEngine engine;
  private final LogLimiter rejectLog = new LogLimiter(60_000);
  private final BlockingQueue<Frame> queue;
  private final Thread thread;
  private final Map<String, Analysis> active = new HashMap<>();
  private volatile boolean running = true;
  private volatile Step latest;
  private volatile boolean poked;
  private long lastStepAt;

  public DecisionLoop(PharosConfig config, String controllerId, Clock clock, ControllerMetrics metrics,
      Supplier<ControlState> control, Consumer<Step> onStep) {
    this(config, controllerId, clock, metrics, control, onStep, QUEUE_CAPACITY);
  }

  DecisionLoop(PharosConfig config, String controllerId, Clock clock, ControllerMetrics metrics,
      Supplier<ControlState> control, Consumer<Step> onStep, int queueCapacity) {
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.controllerId = controllerId;
    this.clock = clock;
    this.metrics = metrics;
    this.control = control;
    this.onStep = onStep;
    long now = clock.millis();
    this.verifier = new ReportVerifier(config, now);
    this.aggregator = new ViewAggregator(config);
    this.engine = new DecisionEngine(config, now);
    this.thread = new Thread(this::run, "pharos-decide");
    this.thread.setDaemon(true);
    metrics.gauge("pharos.ingest.queue", "reports waiting to be processed", queue::size);
  }

  public DecisionLoop start() {
    thread.start();
    return this;
  }

  /** Hands a received frame to the loop; never blocks the caller (a Hazelcast event thread). */
  public void offer(byte[] frame) {
    if (!queue.offer(new Frame(frame, clock.millis()))) {
      metrics.shed();
    }
  }

  /** Asks for a step soon, e.g. after the shared state changed. */
  public void poke() {
    poked = true;
  }

  public Step latest() {
    return latest;
  }

  private void run() {
    while (running) {
      try {
        Frame f = queue.poll(TICK_MS / 2, TimeUnit.MILLISECONDS);
        boolean changed = false;
        int batch = 0;
        while (f != null) {
          changed |= ingest(f);
          f = ++batch < 10_000 ? queue.poll() : null;
        }
        long now = clock.millis();
        if (changed || poked || now - lastStepAt >= TICK_MS) {
          poked = false;
          step(now);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        metrics.errors().count("decide.loop");
        LOG.error("decision loop error on {}; continuing", controllerId, e);
      } catch (Error e) {
        LOG.error("decision loop of {} hit a fatal error; exiting so that the controller is restarted", controllerId,
            e);
        Runtime.getRuntime().halt(70);
      }
    }
  }

  private boolean ingest(Frame f) {
    ReportVerifier.Result r = verifier.verify(f.bytes(), f.receivedAt());
    if (r instanceof ReportVerifier.Rejected rej) {
      metrics.rejected(rej.reason());
      long suppressed = rejectLog.shouldLog(rej.source(), rej.reason().label(), f.receivedAt());
      if (suppressed >= 0) {
        LOG.warn("rejected report from {}: {} ({}){}", rej.source(), rej.reason().label(), rej.message(),
            suppressed > 0 ? "; " + suppressed + " more like it since the last line" : "");
      }
      return false;
    }
    ReportVerifier.Accepted a = (ReportVerifier.Accepted) r;
    metrics.accepted(a.late(), a.droppedObservations());
    return aggregator.ingest(a.report(), f.receivedAt(), a.late());
  }

  private void step(long now) {
    long start = System.nanoTime();
    Step s = engine.step(aggregator.snapshot(now), control.get(), now);
    metrics.decisionStep().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    lastStepAt = now;
    latest = s;
    for (Step.Transition t : s.transitions()) {
      metrics.transition(t.region(), t.transition().name());
      LOG.info("region {} {} -> {}", t.region(), t.transition().from(), t.transition().to());
    }
    logAnalysisChanges(s);
    onStep.accept(s);
  }

  private void logAnalysisChanges(Step s) {
    Map<String, Analysis> now = new HashMap<>();
    for (Analysis a : s.analyses()) {
      now.put(a.key(), a);
      if (!active.containsKey(a.key()) && a.code().response() != io.pharos.core.decision.AnalysisCode.Response.NONE) {
        LOG.warn("{} {}: {}", a.code().label(), a.region() == null ? "" : a.region(), a.message());
      }
    }
    for (String gone : active.keySet()) {
      Analysis a = active.get(gone);
      if (!now.containsKey(gone) && a.code().response() != io.pharos.core.decision.AnalysisCode.Response.NONE) {
        LOG.info("cleared: {} {}", a.code().label(), a.region() == null ? "" : a.region());
      }
    }
    active.clear();
    active.putAll(now);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
