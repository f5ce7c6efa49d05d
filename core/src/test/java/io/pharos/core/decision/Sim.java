package io.pharos.core.decision;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.Applied;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * A deterministic world for decision tests: one agent per region probing every endpoint on the
 * agent's schedule (interval, confirmation probes after a flip), reports every tick, one engine,
 * and a journal applied in place. Time only moves when the test calls {@link #run}.
 */
final class Sim {
  static final long T0 = 1_800_000_000_000L;
  static final long TICK = 50;

  final PharosConfig config;
  final ViewAggregator aggregator;
  final DecisionEngine engine;
  ControlState control;
  long now = T0;
  long term = 1;
  long index = 0;
  final List<Decision> decisions = new ArrayList<>();
  final List<Step> steps = new ArrayList<>();
  /** (vantage, "target/endpoint") → probe fails. */
  BiPredicate<String, String> failing = (v, e) -> false;
  final Set<String> silent = new HashSet<>();
  /** Region to the headroom its agent reads from its capacity endpoint (carried in its reports). */
  final Map<String, Integer> headroom = new HashMap<>();
  private final Map<String, Long> nextProbe = new HashMap<>();
  private final Map<String, Integer> consecutive = new HashMap<>();
  private final Map<String, List<Observation>> pending = new HashMap<>();
  private final Map<String, Long> seq = new HashMap<>();
  private long lastReportAt;

  Sim(PharosConfig config) {
    this.config = config;
    this.aggregator = new ViewAggregator(config);
    this.engine = new DecisionEngine(config, T0);
    this.control = ControlState.initial(config);
  }

  /** Every probe from every vantage of {@code region}'s endpoints fails. */
  Sim killRegion(String region) {
    BiPredicate<String, String> before = failing;
    failing = (v, e) -> e.startsWith(region + "/") || before.test(v, e);
    return this;
  }

  /** Advances time by {@code ms}, probing, reporting and deciding every tick. */
  Sim run(long ms) {
    long end = now + ms;
    while (now < end) {
      now += TICK;
      probe();
      if (now - lastReportAt >= 250) {
        report();
        lastReportAt = now;
      }
      Step s = engine.step(aggregator.snapshot(now), control, now);
      steps.add(s);
      if (s.decision() != null) {
        decisions.add(s.decision());
        execute(s.decision());
      }
      if (s.approval() != null) {
        commit(s.approval().toEntry(term, now, "c1"));
      }
    }
    return this;
  }

  Step last() {
    return steps.get(steps.size() - 1);
  }

  List<Analysis> analyses(AnalysisCode code) {
    return last().analyses().stream().filter(a -> a.code() == code).toList();
  }

  boolean everSaw(AnalysisCode code) {
    return steps.stream().anyMatch(s -> s.analyses().stream().anyMatch(a -> a.code() == code));
  }

  private void probe() {
    long interval = config.probes().interval().toMillis();
    long confirm = config.probes().confirmAfter().toMillis();
    for (RegionConfig vantage : config.regions()) {
      if (silent.contains(vantage.name())) {
        continue;
      }
      for (RegionConfig target : config.regions()) {
        for (EndpointConfig e : target.endpoints()) {
          String key = vantage.name() + ">" + target.name() + "/" + e.id();
          long due = nextProbe.computeIfAbsent(key, k -> now + Math.floorMod(k.hashCode(), interval));
          if (now < due) {
            continue;
          }
          boolean fail = failing.test(vantage.name(), target.name() + "/" + e.id());
          int run = consecutive.getOrDefault(key, 0);
          int next = fail ? (run > 0 ? run + 1 : 1) : (run < 0 ? run - 1 : -1);
          consecutive.put(key, next);
          boolean confirming = Math.abs(next) < config.probes().downAfter();
          nextProbe.put(key, now + (confirming ? confirm : interval));
          pending.computeIfAbsent(vantage.name(), k -> new ArrayList<>()).add(fail
              ? Observation.down(target.name(), e.id(), 2_000, 0, FailureKind.REFUSED, now)
              : Observation.up(target.name(), e.id(), 2_000, 200, now));
        }
      }
    }
  }

  private void report() {
    for (RegionConfig r : config.regions()) {
      if (silent.contains(r.name())) {
        continue;
      }
      long s = seq.merge(r.name(), 1L, Long::sum);
      List<Observation> obs = new ArrayList<>(pending.getOrDefault(r.name(), List.of()));
      if (headroom.containsKey(r.name())) {
        obs.add(io.pharos.core.model.Capacity.reading(r.name(), headroom.get(r.name()), 1_000, now));
      }
      Report rep = new Report(Report.VERSION, r.name(), 1, "agent-" + r.name(), 1, s, now, 0, now, obs);
      pending.remove(r.name());
      aggregator.ingest(rep, now + 1, false);
    }
  }

  /** The leader's reconciler, collapsed: intent, fence, DNS, completion, each committed in turn. */
  void execute(Decision d) {
    Intent intent = d.toIntent(term, now, "c1");
    commit(intent);
    commit(new Fenced(d.decisionId(), term, now, "c1"));
    commit(new DnsCommitted(d.decisionId(), "embedded", d.weights(), null, term, now, "c1"));
    commit(new Completed(d.decisionId(), now, false, "verified", term, now, "c1"));
  }

  Applied commit(JournalEntry e) {
    index += 2;
    Applied a = control.apply(e, term, index);
    control = a.state();
    return a;
  }
}
