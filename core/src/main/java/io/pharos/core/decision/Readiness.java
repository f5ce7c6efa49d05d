package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.PolicyConfig;
import io.pharos.core.health.CapacityReading;
import io.pharos.core.journal.ControlState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a failover of each region in traffic would work right now, evaluated continuously
 * (issue 16, item 4): the DNS provider answers and accepts a dry run of the change, the records
 * exist, the controllers have a healthy quorum, and the surviving regions' capacity headroom can
 * take the shifted share. The controller gathers the facts that need I/O ({@link Facts}); this
 * judges them. Pure.
 *
 * @param at controller clock
 * @param ready every check passed and every failover would work without overloading a survivor
 * @param checks the checks that are not about one region
 * @param failovers per region in traffic, what its failover would do
 */
public record Readiness(long at, boolean ready, List<Check> checks, List<RegionFailover> failovers) {
  public Readiness {
    checks = List.copyOf(checks);
    failovers = List.copyOf(failovers);
  }

  /** A check and what it found. */
  public record Check(String name, boolean ok, String detail) {}

  /**
   * One region's failover as it would be made now.
   *
   * @param region the region that would be lost
   * @param ok the change is possible and no survivor would be overloaded
   * @param weights the weights it would set (shaped when {@code policy.capacity: shape}), or empty
   *     when none is possible
   * @param survivors what the survivors would carry
   * @param problems what would fail or overload, for people
   */
  public record RegionFailover(String region, boolean ok, Map<String, Map<String, Integer>> weights,
      List<CapacityPlan.SurvivorLoad> survivors, List<String> problems) {}

  /**
   * What the controller found out (I/O) for this evaluation.
   *
   * @param providerAnswers the DNS provider answered its health check and a read of the zone
   * @param providerDetail what it said, for people
   * @param missingRecords configured records the provider's zone lacks
   * @param dryRunProblems region to why the provider refused the dry run of its failover (absent:
   *     accepted)
   * @param quorumHealthy the controllers have a Raft majority and a known leader
   * @param quorumDetail for people
   */
  public record Facts(boolean providerAnswers, String providerDetail, List<String> missingRecords,
      Map<String, String> dryRunProblems, boolean quorumHealthy, String quorumDetail) {}

  /**
   * Weights for a change and what they do to the survivors: shaped by their headroom when the
   * policy says so and some survivor would be overloaded, else as planned.
   *
   * @param note what the capacity means for this change, for a decision's evidence (empty when
   *     no survivor has a capacity reading)
   */
  public record Shift(Map<String, Map<String, Integer>> weights, List<CapacityPlan.SurvivorLoad> loads, boolean shaped,
      String note) {
    public boolean overloaded() {
      return loads.stream().anyMatch(CapacityPlan.SurvivorLoad::overloaded);
    }
  }

  /** The weights a change from {@code before} to {@code planned} should set, and the survivors' load. */
  public static Shift shift(PharosConfig config, Map<String, Map<String, Integer>> before,
      Map<String, Map<String, Integer>> planned, Map<String, CapacityReading> capacity) {
    List<CapacityPlan.SurvivorLoad> loads = CapacityPlan.loads(before, planned, capacity);
    boolean anyKnown = loads.stream().anyMatch(l -> l.headroomPercent() != null);
    boolean over = loads.stream().anyMatch(CapacityPlan.SurvivorLoad::overloaded);
    if (!over) {
      return new Shift(planned, loads, false, anyKnown ? "; capacity: " + describe(loads) : "");
    }
    if (config.policy().capacity() != PolicyConfig.CapacityPolicy.SHAPE) {
      return new Shift(planned, loads, false, "; capacity (advisory, weights as configured): " + describe(loads));
    }
    Map<String, Map<String, Integer>> shaped = CapacityPlan.shape(before, planned, capacity);
    List<CapacityPlan.SurvivorLoad> after = CapacityPlan.loads(before, shaped, capacity);
    boolean still = after.stream().anyMatch(CapacityPlan.SurvivorLoad::overloaded);
    return new Shift(shaped, after, true, "; capacity (weights shaped by headroom" + (still ? ", survivors still"
        + " overloaded: a crowded region beats a dead one" : "") + "): " + describe(after));
  }

  /** The failover of each region in traffic as it would be made now: weights, or empty when impossible. */
  public static Map<String, Optional<Shift>> plans(PharosConfig config, ControlState control,
      Map<String, CapacityReading> capacity) {
    Map<String, Optional<Shift>> out = new LinkedHashMap<>();
    for (String region : inTraffic(control)) {
      Set<String> nextOut = new TreeSet<>(control.out());
      nextOut.add(region);
      out.put(region, WeightPlan.plan(config.dns(), nextOut, DecisionEngine.scale(control))
          .map(w -> shift(config, control.weights(), w, capacity)));
    }
    return out;
  }

  /** Judges the facts and the capacity for every region in traffic. */
  public static Readiness evaluate(PharosConfig config, ControlState control, Map<String, CapacityReading> capacity,
      Facts facts, long now) {
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("dnsProvider", facts.providerAnswers(), facts.providerDetail()));
    checks.add(new Check("records", facts.missingRecords().isEmpty(), facts.missingRecords().isEmpty()
        ? "every configured record exists at the provider" : "missing at the provider: " + facts.missingRecords()));
    checks.add(new Check("quorum", facts.quorumHealthy(), facts.quorumDetail()));
    List<RegionFailover> failovers = new ArrayList<>();
    plans(config, control, capacity).forEach((region, shift) -> {
      List<String> problems = new ArrayList<>();
      if (shift.isEmpty()) {
        problems.add("failing over " + region + " would leave a record with no serving region");
        failovers.add(new RegionFailover(region, false, Map.of(), List.of(), problems));
        return;
      }
      String refused = facts.dryRunProblems().get(region);
      if (refused != null) {
        problems.add("the DNS provider refuses the dry run: " + refused);
      }
      Shift s = shift.get();
      if (s.overloaded()) {
        problems.add((s.shaped() ? "even shaped by headroom, " : "") + "survivors would be overloaded: "
            + describe(s.loads().stream().filter(CapacityPlan.SurvivorLoad::overloaded).toList()));
      }
      failovers.add(new RegionFailover(region, problems.isEmpty(), s.weights(), s.loads(), problems));
    });
    boolean ready = checks.stream().allMatch(Check::ok) && failovers.stream().allMatch(RegionFailover::ok);
    return new Readiness(now, ready, checks, failovers);
  }

  /**
   * The alerts (warnings) this readiness raises: one per region whose failover would fail or
   * overload a survivor, and one for the checks that concern every failover.
   */
  public List<Analysis> analyses() {
    List<Analysis> out = new ArrayList<>();
    List<Check> failed = checks.stream().filter(c -> !c.ok()).toList();
    if (!failed.isEmpty()) {
      out.add(new Analysis(AnalysisCode.FAILOVER_AT_RISK, null, "no failover would work now: " + failed.stream()
          .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("; "))));
    }
    for (RegionFailover f : failovers) {
      if (!f.ok()) {
        out.add(new Analysis(AnalysisCode.FAILOVER_AT_RISK, f.region(), "a failover of " + f.region() + " now: "
            + String.join("; ", f.problems())));
      }
    }
    return out;
  }

  private static List<String> inTraffic(ControlState control) {
    Set<String> regions = new TreeSet<>();
    control.weights().values().forEach(w -> w.forEach((region, weight) -> {
      if (weight > 0 && !control.out().contains(region)) {
        regions.add(region);
      }
    }));
    return List.copyOf(regions);
  }

  private static String describe(List<CapacityPlan.SurvivorLoad> loads) {
    return loads.stream().map(CapacityPlan.SurvivorLoad::describe).collect(Collectors.joining(", "));
  }
}
