package io.pharos.core.sim;

import io.pharos.core.config.PolicyConfig;
import io.pharos.core.journal.IntentKind;
import java.util.ArrayList;
import java.util.List;

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
      if (f instanceof Fault.RegionLoss loss && loss.to() - loss.from() >= DETECTION_BUDGET) {
        checkFailedOver(loss, automaticFailoversBefore(loss.from() + DETECTION_BUDGET));
      }
    }
    return violations;
  }

  private void checkFailedOver(Fault.RegionLoss loss, int failoversBefore) {
    String r = loss.region();
    long deadline = loss.from() + DETECTION_BUDGET;
    if (loss.from() < World.T0 + World.GRACE || failoversBefore >= world.config.policy().maxAutoFailovers()) {
      return;
    }
    if (outAt(r, loss.from())) {
      return;
    }
    if (world.regions.stream().filter(x -> !x.equals(r)).allMatch(x -> outAt(x, deadline))) {
      return; // taking it out would leave nothing serving: fail-static by design
    }
    if (previousChange(r, deadline).filter(t -> deadline - t < world.config.policy().cooldown().toMillis()).isPresent()) {
      return;
    }
    for (Fault other : world.faults) {
      if (other != loss && other.from() < deadline && other.to() > loss.from() && muddies(other, r)) {
        return;
      }
    }
    boolean done = sim.executed.stream().anyMatch(e -> e.decision().kind() == IntentKind.FAILOVER
        && e.decision().regions().contains(r) && e.at() >= loss.from() && e.at() <= deadline);
    if (!done) {
      violations.add("region " + r + " lost from +" + (loss.from() - World.T0) + " ms for "
          + (loss.to() - loss.from()) + " ms was not failed over within " + DETECTION_BUDGET + " ms");
    }
  }

  /** Faults that legitimately make a loss of {@code r} ambiguous or unactionable. */
  private static boolean muddies(Fault f, String r) {
    if (f instanceof Fault.Gray) {
      return false;
    }
    if (f instanceof Fault.RegionLoss l) {
      return !l.region().equals(r);
    }
    if (f instanceof Fault.ObserverPartition p) {
      return !p.vantage().equals(r);
    }
    if (f instanceof Fault.AgentSilent s) {
      return !s.agentId().startsWith("agent-" + r + "-");
    }
    Fault.Flapping fl = (Fault.Flapping) f;
    return !fl.region().equals(r);
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
