package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.health.CapacityReading;
import io.pharos.core.journal.ControlState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failover readiness: DNS, records, quorum and the survivors' headroom, judged for every region in traffic. */
class ReadinessTest {
  static final String RECORD = "app.pharos.test";
  static final Readiness.Facts ALL_WELL = new Readiness.Facts(true, "embedded: healthy", List.of(), Map.of(), true,
      "leader c1, majority");

  static PharosConfig config(String capacityPolicy) {
    return TestConfigs.threeRegionsWith("recoverAfter: 30s", "recoverAfter: 30s, capacity: " + capacityPolicy);
  }

  /** a 50, b 30, c 20; b runs at 30 % of its capacity (70 % headroom), c at 95 % (5 % headroom). */
  static final Map<String, CapacityReading> CROWDED_C = Map.of(
      "b", new CapacityReading("b", 70, "agent-b", 1), "c", new CapacityReading("c", 5, "agent-c", 1));

  @Test
  void withHeadroomEverywhereEveryFailoverIsReady() {
    PharosConfig config = config("advisory");
    Map<String, CapacityReading> roomy = Map.of("a", new CapacityReading("a", 80, "x", 1),
        "b", new CapacityReading("b", 80, "x", 1), "c", new CapacityReading("c", 80, "x", 1));
    Readiness r = Readiness.evaluate(config, ControlState.initial(config), roomy, ALL_WELL, 5);
    assertThat(r.ready()).isTrue();
    assertThat(r.failovers()).extracting(Readiness.RegionFailover::region).containsExactly("a", "b", "c");
    assertThat(r.analyses()).isEmpty();
  }

  @Test
  void advisoryHeadroomWarnsButKeepsTheConfiguredWeights() {
    PharosConfig config = config("advisory");
    ControlState s = ControlState.initial(config);
    Readiness r = Readiness.evaluate(config, s, CROWDED_C, ALL_WELL, 5);
    assertThat(r.ready()).isFalse();
    Readiness.RegionFailover a = r.failovers().get(0);
    assertThat(a.region()).isEqualTo("a");
    assertThat(a.ok()).isFalse();
    assertThat(a.weights()).isEqualTo(WeightPlan.plan(config.dns(), List.of("a")).orElseThrow());
    assertThat(a.problems()).singleElement().asString().contains("survivors would be overloaded")
        .contains("c +100 % share, 95 % -> 190 % of capacity (overloaded)");
    assertThat(r.analyses()).extracting(Analysis::code).containsOnly(AnalysisCode.FAILOVER_AT_RISK);
    assertThat(r.analyses()).extracting(Analysis::region).contains("a");
    assertThat(AnalysisCode.FAILOVER_AT_RISK.severity()).isEqualTo(AnalysisCode.Severity.WARNING);
  }

  @Test
  void shapingMovesTheShareToTheSurvivorWithRoomAndRespectsEveryCapacity() {
    PharosConfig config = config("shape");
    ControlState s = ControlState.initial(config);
    Readiness r = Readiness.evaluate(config, s, CROWDED_C, ALL_WELL, 5);
    Readiness.RegionFailover a = r.failovers().get(0);
    assertThat(a.ok()).as(String.valueOf(a.problems())).isTrue();
    Map<String, Integer> planned = WeightPlan.plan(config.dns(), List.of("a")).orElseThrow().get(RECORD);
    Map<String, Integer> shaped = a.weights().get(RECORD);
    assertThat(shaped.get("a")).isZero();
    assertThat(shaped.get("c")).isLessThan(planned.get("c")).isPositive();
    assertThat(shaped.get("b")).isGreaterThan(planned.get("b"));
    assertThat(shaped.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(planned.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(a.survivors()).allSatisfy(l -> assertThat(l.utilisationAfter()).isLessThanOrEqualTo(100.0));
  }

  @Test
  void whenTheSurvivorsCannotTakeItAllTheFailoverStillHappensCrowded() {
    PharosConfig config = config("shape");
    Map<String, CapacityReading> full = Map.of("b", new CapacityReading("b", 5, "x", 1),
        "c", new CapacityReading("c", 5, "x", 1));
    Readiness.Shift shift = Readiness.plans(config, ControlState.initial(config), full).get("a").orElseThrow();
    assertThat(shift.weights().get(RECORD).get("a")).as("never traffic on a dead region").isZero();
    assertThat(shift.overloaded()).isTrue();
    assertThat(shift.note()).contains("a crowded region beats a dead one");
  }

  @Test
  void aRefusedDryRunMissingRecordsOrNoQuorumAreWarnings() {
    PharosConfig config = config("advisory");
    Readiness r = Readiness.evaluate(config, ControlState.initial(config), Map.of(), new Readiness.Facts(false,
        "embedded: timed out", List.of("app.pharos.test"), Map.of("b", "fencing record missing"), false,
        "no leader"), 5);
    assertThat(r.ready()).isFalse();
    assertThat(r.checks()).extracting(Readiness.Check::ok).containsOnly(false);
    assertThat(r.analyses()).extracting(Analysis::region).containsExactly(null, "b");
    assertThat(r.analyses().get(0).message()).contains("dnsProvider: embedded: timed out")
        .contains("quorum: no leader").contains("missing at the provider: [app.pharos.test]");
    assertThat(r.analyses().get(1).message()).contains("refuses the dry run: fencing record missing");
  }

  @Test
  void aDecisionCarriesTheCapacityInItsEvidenceAndIsShapedOnlyWhenThePolicySaysSo() {
    for (String policy : List.of("advisory", "shape")) {
      PharosConfig config = config(policy);
      Map<String, Map<String, Integer>> planned = WeightPlan.plan(config.dns(), List.of("a")).orElseThrow();
      Readiness.Shift shift = Readiness.shift(config, ControlState.initial(config).weights(), planned, CROWDED_C);
      assertThat(shift.shaped()).isEqualTo(policy.equals("shape"));
      assertThat(shift.note()).contains(policy.equals("shape") ? "weights shaped by headroom" : "advisory");
    }
  }

  @Test
  void aRealFailoverWithSurvivorsShortOfHeadroomIsShapedOnlyUnderTheShapePolicy() {
    for (String policy : List.of("advisory", "shape")) {
      Sim sim = new Sim(config(policy));
      sim.headroom.putAll(Map.of("a", 50, "b", 70, "c", 5)); // as the regions' own agents read it
      sim.run(12_000);
      assertThat(sim.last().view().capacity()).containsOnlyKeys("a", "b", "c");
      sim.killRegion("a").run(5_000);
      Decision d = sim.decisions.get(0);
      Map<String, Integer> planned = WeightPlan.plan(sim.config.dns(), List.of("a")).orElseThrow().get(RECORD);
      if (policy.equals("advisory")) {
        assertThat(d.weights().get(RECORD)).isEqualTo(planned);
        assertThat(d.reason()).contains("capacity (advisory, weights as configured)").contains("c +100 % share");
      } else {
        assertThat(d.weights().get(RECORD).get("c")).isLessThan(planned.get("c"));
        assertThat(d.weights().get(RECORD).get("a")).isZero();
        assertThat(d.reason()).contains("weights shaped by headroom").doesNotContain("(overloaded)");
      }
    }
  }
}
