package io.pharos.core.sim;

import io.pharos.core.config.PolicyConfig;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.journal.IntentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The properties every simulated history must have:
 *
 * <ol>
 *   <li>no failover of a region that a majority of the other vantages saw healthy at that time;
 *   <li>every clean region loss longer than the detection budget is failed over within it, unless
 *       a rule says it must not be (startup grace, cooldown, the failover cap, every region down,
 *       or another fault muddying the picture);
 *   <li>never all weights zero (checked by the simulation on every commit);
 *   <li>the anti-flap limits hold: at most N automatic failovers, cooldown between changes of a
 *       region, failback only when configured and after a stable stabilisation window.
 * </ol>
 */
final class Checker {
  static final long DETECTION_BUDGET = 6_000;
  static final long HEALTHY_WINDOW = 2_000;
  /** How long a probe result may take to reach the controllers in the simulation. */
  static final long REPORT_SLACK = 500;
  /** How long a vantage that speaks again takes to be heard, and one that stops to count as silent. */
  static final long SILENCE_SLACK = 3_500;
  /**
   * How long after every region went down that is visible to the controllers at the latest:
   * {@code downAfter} (3) failed probes at the 1 s interval, plus {@link #REPORT_SLACK}. The 5,000-seed
   * run found failovers 0.5 s and 2.7 s into an all-regions loss, of a region already seen down
   * before the last region's loss could be seen by any vantage.
   */
  static final long ALL_DOWN_OBSERVABLE = 3 * 1_000 + REPORT_SLACK;

  private final Simulation sim;
  private final World world;
  private final List<String> violations = new ArrayList<>();

  Checker(Simulation sim) {
    this.sim = sim;
    this.world = sim.world;
  }

  List<String> check() {
    violations.addAll(sim.violations);
    PolicyConfig p = world.config.policy();
    int automaticFailovers = 0;
    for (Simulation.Executed e : sim.executed) {
      var d = e.decision();
      if (d.kind() == IntentKind.FAILOVER) {
        automaticFailovers++;
        if (automaticFailovers > p.maxAutoFailovers()) {
          violations.add("automatic failover #" + automaticFailovers + " exceeds the limit of " + p.maxAutoFailovers());
        }
        for (String r : d.regions()) {
          int healthy = sawHealthy(r, e.at());
          int needed = (world.regions.size() - 1) / 2 + 1;
          if (healthy >= needed) {
            violations.add("failed over " + r + " at +" + (e.at() - World.T0) + " ms while " + healthy
                + " other vantages saw it healthy (" + needed + " is a majority)");
          }
        }
      } else {
        if (p.failback() == PolicyConfig.FailbackPolicy.MANUAL) {
          violations.add("automatic failback " + d.decisionId() + " although failback is manual");
        }
        for (String r : d.regions()) {
          long from = e.at() - p.recoverAfter().toMillis() + REPORT_SLACK;
          failedProbeDuring(r, from, e.at()).ifPresent(at -> violations.add("failed back " + r + " at +"
              + (e.at() - World.T0) + " ms although a probe of it failed at +" + (at - World.T0)
              + " ms, inside the stabilisation window"));
        }
      }
      for (String r : d.regions()) {
        previousChange(r, e.at()).ifPresent(prev -> {
          if (e.at() - prev < p.cooldown().toMillis()) {
            violations.add("changed " + r + " again " + (e.at() - prev) + " ms after the last change (cooldown "
                + p.cooldown().toMillis() + " ms)");
          }
        });
      }
    }
    for (Fault f : world.faults) {
      if (f.to() - f.from() < DETECTION_BUDGET) {
        continue;
      }
      if (f instanceof Fault.RegionLoss loss) {
        checkLoss(Set.of(loss.region()), loss);
      } else if (f instanceof Fault.CorrelatedLoss c && c.regions().size() == world.regions.size()) {
        checkFailStatic(c);
      } else if (f instanceof Fault.CorrelatedLoss c) {
        checkLoss(c.regions(), c);
      } else if (f instanceof Fault.VantageSilent v && alone(v)) {
        if (!sawDuring(AnalysisCode.MONITORING_PARTITION, v.from(), v.to())) {
          violations.add("the agents of " + v.region() + " were silent from +" + (v.from() - World.T0) + " ms for "
              + (v.to() - v.from()) + " ms and no MonitoringPartition was reported");
        }
      }
    }
    return violations;
  }

  /**
   * A loss of {@code lost} (one region, or several at once): with the evidence the rule calls
   * clear, every one is failed over within the budget; with short evidence none is, and the short
   * evidence is named.
   */
  private void checkLoss(Set<String> lost, Fault loss) {
    long deadline = loss.from() + DETECTION_BUDGET;
    if (loss.from() < World.T0 + World.GRACE
        || automaticFailoversBefore(deadline) >= world.config.policy().maxAutoFailovers()) {
      return;
    }
    if (world.regions.stream().filter(x -> !lost.contains(x)).allMatch(x -> outAt(x, deadline))) {
      return; // taking them out would leave nothing serving: fail-static by design
    }
    for (Fault other : world.faults) {
      if (other != loss && other.from() < deadline && other.to() > loss.from() && muddies(other, lost)) {
        return;
      }
    }
    for (String r : lost) {
      if (outAt(r, loss.from())
          || previousChange(r, deadline).filter(t -> deadline - t < world.config.policy().cooldown().toMillis())
              .isPresent()) {
        continue;
      }
      boolean clearThroughout = true;
      boolean shortThroughout = true;
      for (long t = loss.from(); t <= deadline; t += Simulation.TICK) {
        String e = expectedEvidence(r, t);
        clearThroughout &= e.equals("clear");
        shortThroughout &= e.equals("short");
      }
      boolean done = sim.executed.stream().anyMatch(e -> e.decision().kind() == IntentKind.FAILOVER
          && e.decision().regions().contains(r) && e.at() >= loss.from() && e.at() <= deadline);
      if (clearThroughout && !done) {
        violations.add("region " + r + " lost from +" + (loss.from() - World.T0) + " ms for "
            + (loss.to() - loss.from()) + " ms (with " + lost + ") was not failed over within " + DETECTION_BUDGET
            + " ms");
      }
      if (shortThroughout && !sawEvidence(r, QuorumVerdict.Evidence.SHORT, loss.from(), loss.to())) {
        violations.add("region " + r + " lost with one vantage silent and its own agents silent: short evidence"
            + " was never named");
      }
      for (Simulation.Executed e : sim.executed) {
        if (e.decision().kind() == IntentKind.FAILOVER && e.decision().regions().contains(r) && e.at() >= loss.from()
            && e.at() < loss.to() && expectedEvidence(r, e.at()).equals("short")
            && expectedEvidence(r, e.at() - SILENCE_SLACK).equals("short")) {
          violations.add("region " + r + " was failed over automatically at +" + (e.at() - World.T0)
              + " ms on evidence one vantage short");
        }
      }
    }
  }

  /**
   * The decision rule, written out here independently of the engine: other regions whose agents
   * report all see a lost region failing; its own agents (when they report) stand in for one
   * silent vantage, never trigger alone; one vote short because of silence is short evidence.
   */
  private String expectedEvidence(String r, long at) {
    int others = world.regions.size() - 1;
    int needed = others / 2 + 1;
    int failing = 0;
    int silent = 0;
    for (String v : world.regions) {
      if (!v.equals(r)) {
        if (vantageSilent(v, at)) {
          silent++;
        } else {
          failing++;
        }
      }
    }
    boolean own = !vantageSilent(r, at);
    if (failing >= needed || failing >= 1 && own && silent >= 1 && failing + 1 >= needed) {
      return "clear";
    }
    int votes = failing + (own && silent >= 1 ? 1 : 0);
    int unheard = silent - (own && silent >= 1 ? 1 : 0);
    return failing >= 1 && votes + 1 == needed && unheard >= 1 ? "short" : "none";
  }

  /** Whether every agent of the region is silent at {@code t}. */
  private boolean vantageSilent(String region, long t) {
    return world.agents.stream().filter(a -> a.region().equals(region)).allMatch(a -> world.agentSilent(a.id(), t));
  }

  /**
   * Every region lost at once: nothing may change once that is observable, and the page says
   * AllRegionsDown, not a monitoring fault. Observable means {@link #ALL_DOWN_OBSERVABLE} after the
   * last region went: before it, a failover of a region that is down (every region is) is the
   * right verdict on what any vantage can see, and moves no traffic off a serving region.
   */
  private void checkFailStatic(Fault.CorrelatedLoss c) {
    for (Simulation.Executed e : sim.executed) {
      if (e.decision().kind() == IntentKind.FAILOVER && e.at() >= c.from() + ALL_DOWN_OBSERVABLE && e.at() < c.to()) {
        violations.add("failed over " + e.decision().regions() + " at +" + (e.at() - World.T0)
            + " ms while every region was down (fail-static expected)");
      }
    }
    if (!sawDuring(AnalysisCode.ALL_REGIONS_DOWN, c.from(), c.to())) {
      violations.add("every region down from +" + (c.from() - World.T0) + " ms: AllRegionsDown never raised");
    }
    boolean muddied = world.faults.stream().anyMatch(f -> f != c && f.from() < c.to() && f.to() > c.from());
    if (!muddied) {
      for (Simulation.Observed o : sim.observed) {
        if (o.at() >= c.from() + DETECTION_BUDGET && o.at() < c.to() && (o.codes().contains(AnalysisCode.OBSERVER_ISOLATED)
            || o.codes().contains(AnalysisCode.VANTAGE_QUORUM_LOST))) {
          violations.add("every region down, yet at +" + (o.at() - World.T0) + " ms the page said " + o.codes());
          break;
        }
      }
    }
  }

  /** The fault is the only one active during its span (and a detection budget after its start). */
  private boolean alone(Fault f) {
    return world.faults.stream().noneMatch(o -> o != f && o.from() < f.to() && o.to() > f.from())
        && f.from() >= World.T0 + World.GRACE;
  }

  private boolean sawDuring(AnalysisCode code, long from, long to) {
    return sim.observed.stream().anyMatch(o -> o.at() >= from && o.at() < to && o.codes().contains(code));
  }

  private boolean sawEvidence(String region, QuorumVerdict.Evidence evidence, long from, long to) {
    return sim.observed.stream().anyMatch(o -> o.at() >= from && o.at() < to && o.evidence().get(region) == evidence);
  }

  /**
   * Faults that legitimately make a loss of {@code lost} ambiguous or unactionable. A silent
   * vantage does not: the rule says what it leaves (own agents confirm, or short evidence).
   */
  private static boolean muddies(Fault f, Set<String> lost) {
    if (f instanceof Fault.Gray || f instanceof Fault.VantageSilent) {
      return false;
    }
    if (f instanceof Fault.RegionLoss l) {
      return !lost.contains(l.region());
    }
    if (f instanceof Fault.CorrelatedLoss c) {
      return !lost.containsAll(c.regions());
    }
    if (f instanceof Fault.ObserverPartition p) {
      return !lost.contains(p.vantage());
    }
    if (f instanceof Fault.AgentSilent s) {
      return lost.stream().noneMatch(r -> s.agentId().startsWith("agent-" + r + "-"));
    }
    Fault.Flapping fl = (Fault.Flapping) f;
    return !lost.contains(fl.region());
  }

  /** Other regions whose live agents all probed {@code r} successfully during the last window. */
  private int sawHealthy(String r, long t) {
    int count = 0;
    for (String v : world.regions) {
      if (v.equals(r)) {
        continue;
      }
      List<Simulation.Probe> ps = sim.probes.getOrDefault(v + ">" + r, List.of());
      boolean any = false;
      boolean allOk = true;
      for (int i = ps.size() - 1; i >= 0 && ps.get(i).at() > t - HEALTHY_WINDOW; i--) {
        any = true;
        allOk &= ps.get(i).ok();
      }
      if (any && allOk) {
        count++;
      }
    }
    return count;
  }

  /** The time of a failed probe of the region by another region's agent in the window, if any. */
  private java.util.Optional<Long> failedProbeDuring(String r, long from, long to) {
    for (String v : world.regions) {
      if (v.equals(r)) {
        continue;
      }
      for (Simulation.Probe probe : sim.probes.getOrDefault(v + ">" + r, List.of())) {
        if (probe.at() > from && probe.at() <= to && !probe.ok() && !isolatedAt(v, probe.at())) {
          return java.util.Optional.of(probe.at());
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Whether the vantage's probes were cut off by an observer partition at that time. */
  private boolean isolatedAt(String vantage, long t) {
    return world.faults.stream().anyMatch(f -> f.activeAt(t) && f instanceof Fault.ObserverPartition p
        && p.vantage().equals(vantage));
  }

  private java.util.Optional<Long> previousChange(String r, long before) {
    Long last = null;
    for (Simulation.Executed e : sim.executed) {
      if (e.at() < before && e.decision().regions().contains(r)) {
        last = e.at();
      }
    }
    return java.util.Optional.ofNullable(last);
  }

  private boolean outAt(String r, long t) {
    boolean out = false;
    for (Simulation.Executed e : sim.executed) {
      if (e.at() <= t) {
        out = e.after().out().contains(r);
      }
    }
    return out;
  }

  private int automaticFailoversBefore(long t) {
    return (int) sim.executed.stream().filter(e -> e.at() < t && e.decision().kind() == IntentKind.FAILOVER).count();
  }
}
