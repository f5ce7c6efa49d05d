package io.pharos.controller.decide;

import io.pharos.controller.ingest.IngestAlerts;
import io.pharos.controller.ingest.ReportIngest;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.DecisionEngine;
import io.pharos.core.decision.Step;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.ControlState;
import io.pharos.core.wire.ReportVerifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * least every {@code TICK_MS} so that silence is noticed. Reports come verified from
 * {@link ReportIngest}'s bounded queue (drops there are counted by reason: visible load shedding,
 * never a silent stall). What the reports say beyond health (a previous key in use, agent clocks
 * far off) is added to each step's analyses ({@link IngestAlerts}).
 */
public final class DecisionLoop implements AutoCloseable {
  public static final long TICK_MS = 100;
  /** Agents' replay state is pruned this often. */
  static final long EXPIRE_EVERY_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);

  private final String controllerId;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final Supplier<ControlState> control;
  private final Consumer<Step> onStep;
  private final ReportIngest ingest;
  private final ViewAggregator aggregator;
  private final DecisionEngine engine;
  private final IngestAlerts ingestAlerts = new IngestAlerts();
  private final Thread thread;
  private final Map<String, Analysis> active = new HashMap<>();
  private volatile boolean running = true;
  private volatile Step latest;
  private volatile boolean poked;
  private long lastStepAt;
  private long lastExpiry;

  /** @param ingest where verified reports come from (its listener feeds it) */
  public DecisionLoop(PharosConfig config, String controllerId, Clock clock, ControllerMetrics metrics,
      Supplier<ControlState> control, Consumer<Step> onStep, ReportIngest ingest) {
    this.ingest = ingest;
    this.controllerId = controllerId;
    this.clock = clock;
    this.metrics = metrics;
    this.control = control;
    this.onStep = onStep;
    long now = clock.millis();
    this.aggregator = new ViewAggregator(config);
    this.engine = new DecisionEngine(config, now);
    this.lastExpiry = now;
    this.thread = new Thread(this::run, "pharos-decide");
    this.thread.setDaemon(true);
  }

  /** Arrival times of the reports taken in since the last step (the first this many are timed). */
  private static final int MAX_TIMED_ARRIVALS = 1 << 16;
  private long[] arrivals = new long[1024];
  private int sinceStep;

  public DecisionLoop start() {
    thread.start();
    return this;
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
        ReportVerifier.Accepted a = ingest.poll(TICK_MS / 2, TimeUnit.MILLISECONDS);
        boolean changed = false;
        int batch = 0;
        while (a != null) {
          changed |= ingest(a);
          a = ++batch < 10_000 ? ingest.poll() : null;
        }
        long now = clock.millis();
        if (now - lastExpiry >= EXPIRE_EVERY_MS) {
          lastExpiry = now;
          int forgotten = ingest.expireAgents(now);
          if (forgotten > 0) {
            LOG.info("forgot the replay state of {} agent(s) not heard for security.agentStateExpiry", forgotten);
          }
        }
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

  private boolean ingest(ReportVerifier.Accepted a) {
    metrics.accepted(a.late(), a.droppedObservations());
    if (a.previousKey()) {
      metrics.previousKey(a.report().region());
    }
    ingestAlerts.accepted(a);
    boolean changed = aggregator.ingest(a.report(), a.receivedAt(), a.late());
    // decision latency: a report that changed the view is timed to the end of the step that follows;
    // one that changed nothing is in the view now
    if (!changed) {
      metrics.decisionLatency().record(Math.max(0, clock.millis() - a.receivedAt()), TimeUnit.MILLISECONDS);
    } else {
      if (sinceStep == arrivals.length && arrivals.length < MAX_TIMED_ARRIVALS) {
        arrivals = java.util.Arrays.copyOf(arrivals, arrivals.length * 2);
      }
      if (sinceStep < arrivals.length) {
        arrivals[sinceStep++] = a.receivedAt();
      }
    }
    return changed;
  }

  private void step(long now) {
    long start = System.nanoTime();
    ControlState state = control.get();
    Step s = withIngestAlerts(engine.step(aggregator.snapshot(now), state, now), now, state);
    metrics.decisionStep().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    lastStepAt = now;
    latest = s;
    for (Step.Transition t : s.transitions()) {
      metrics.transition(t.region(), t.transition().name());
      LOG.info("region {} {} -> {}", t.region(), t.transition().from(), t.transition().to());
    }
    logAnalysisChanges(s);
    onStep.accept(s);
    long done = clock.millis();
    for (int i = 0; i < sinceStep; i++) {
      metrics.decisionLatency().record(Math.max(0, done - arrivals[i]), TimeUnit.MILLISECONDS);
    }
    sinceStep = 0;
  }

  private Step withIngestAlerts(Step s, long now, ControlState state) {
    List<Analysis> extra = ingestAlerts.analyses(now, state::regionKey);
    if (extra.isEmpty()) {
      return s;
    }
    List<Analysis> all = new ArrayList<>(s.analyses());
    all.addAll(extra);
    return new Step(s.at(), s.verdicts(), s.health(), s.transitions(), all, s.decision(), s.evacuation(),
        s.approval());
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
