package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.health.QuorumVerdict.Evidence;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.IntentKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outages that really happen, each as a named case with the verdict an SRE expects
 * (docs/safety.md, "The decision rule"): decided from the whole vantage matrix, not from one
 * observer's heuristics.
 */
class VantageMatrixTest {

  private static Sim healthy(PharosConfig config) {
    Sim sim = new Sim(config);
    sim.run(12_000); // past the 10 s startup grace
    assertThat(sim.last().health()).allSatisfy((r, s) -> assertThat(s).isEqualTo(RegionState.HEALTHY));
    return sim;
  }

  private static Sim threeRegions() {
    return healthy(TestConfigs.threeRegions());
  }

  @Test
  void twoOfThreeRegionsLostAtOnceAreBothFailedOverAndTheSurvivorTakesEveryThing() {
    Sim sim = threeRegions();
    sim.killRegion("a").killRegion("b").run(6_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(IntentKind.FAILOVER);
      assertThat(d.regions()).containsExactly("a", "b");
      assertThat(d.weights().get("app.pharos.test")).containsEntry("a", 0).containsEntry("b", 0)
          .containsEntry("c", 100);
    });
    assertThat(sim.everSaw(AnalysisCode.OBSERVER_ISOLATED)).as("the survivor is not the one cut off").isFalse();
    assertThat(sim.everSaw(AnalysisCode.VANTAGE_QUORUM_LOST)).isFalse();
  }

  @Test
  void everyRegionDownIsPagedAsAllRegionsDownAndNothingChanges() {
    Sim sim = threeRegions();
    sim.killRegion("a").killRegion("b").killRegion("c").run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(codes(sim)).contains(AnalysisCode.ALL_REGIONS_DOWN)
        .doesNotContain(AnalysisCode.OBSERVER_ISOLATED, AnalysisCode.VANTAGE_QUORUM_LOST);
    assertThat(sim.control.zone().weights().get("app.pharos.test")).containsEntry("a", 50).containsEntry("b", 30)
        .containsEntry("c", 20);
  }

  @Test
  void oneRegionsAgentDeadLeavesTheOthersDecidableWithoutAnAlarm() {
    Sim sim = threeRegions();
    sim.silent.add("a");
    sim.run(8_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.MONITORING_PARTITION)).singleElement()
        .satisfies(a -> assertThat(a.region()).isEqualTo("a"));
    assertThat(codes(sim)).doesNotContain(AnalysisCode.VANTAGE_QUORUM_LOST);
  }

  @Test
  void aRegionsOwnAgentsConfirmItsLossWhileAnotherRegionsAgentIsDead() {
    Sim sim = threeRegions();
    sim.silent.add("a");
    sim.run(3_000);
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> {
      assertThat(d.regions()).containsExactly("b");
      assertThat(d.reason()).contains("confirmed by its own agents");
    });
  }

  @Test
  void oneVantageSilentAndTheLostRegionFrozenIsShortEvidenceNotAFailover() {
    Sim sim = threeRegions();
    sim.silent.add("a");
    sim.run(3_000);
    sim.silent.add("b");
    sim.killRegion("b").run(6_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.last().verdicts().get("b").evidence()).isEqualTo(Evidence.SHORT);
    assertThat(sim.last().health().get("b")).isEqualTo(RegionState.SUSPECT);
  }

  @Test
  void anObserverSeeingAnotherRegionFailIsNotConfirmedByAServingVantage() {
    Sim sim = threeRegions();
    sim.failing = (vantage, endpoint) -> vantage.equals("a") && endpoint.startsWith("b/");
    sim.run(8_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.last().verdicts().get("b").evidence()).isEqualTo(Evidence.NONE);
  }

  @Test
  void anObserverWhoseViewIsContradictedIsCutOffButStillCountsWhenARegionReallyDies() {
    Sim sim = threeRegions();
    // c cannot reach anyone (its egress is broken); a and b see each other and c serving
    sim.failing = (vantage, endpoint) -> vantage.equals("c") && !endpoint.startsWith("c/");
    sim.run(6_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.OBSERVER_ISOLATED)).singleElement()
        .satisfies(a -> assertThat(a.region()).isEqualTo("c"));
    // then b really dies: a confirms what c sees, so c's vote counts again
    sim.killRegion("b").run(6_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> assertThat(d.regions()).containsExactly("b"));
  }

  @Test
  void everyRegionCutOffFromEveryOtherIsAMonitoringProblemNotAnOutage() {
    Sim sim = threeRegions();
    // each region's agents reach only their own region: the apps serve
    sim.failing = (vantage, endpoint) -> !endpoint.startsWith(vantage + "/");
    sim.run(8_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(codes(sim)).contains(AnalysisCode.OBSERVER_ISOLATED, AnalysisCode.VANTAGE_QUORUM_LOST)
        .doesNotContain(AnalysisCode.ALL_REGIONS_DOWN);
  }

  @Test
  void threeOfFiveRegionsLostAtOnceAreFailedOver() {
    Sim sim = healthy(fiveRegions());
    sim.killRegion("r0").killRegion("r1").killRegion("r2").run(6_000);
    assertThat(sim.decisions).singleElement()
        .satisfies(d -> assertThat(d.regions()).containsExactly("r0", "r1", "r2"));
    assertThat(sim.control.zone().weights().get("app.pharos.test")).containsEntry("r0", 0).containsEntry("r1", 0)
        .containsEntry("r2", 0).hasEntrySatisfying("r3", w -> assertThat(w).isPositive())
        .hasEntrySatisfying("r4", w -> assertThat(w).isPositive());
  }

  @Test
  void fourOfFiveRegionsLostLeaveTheLastOneServing() {
    Sim sim = healthy(fiveRegions());
    sim.killRegion("r0").killRegion("r1").killRegion("r2").killRegion("r3").run(6_000);
    assertThat(sim.decisions).singleElement()
        .satisfies(d -> assertThat(d.regions()).containsExactly("r0", "r1", "r2", "r3"));
    assertThat(sim.control.zone().weights().get("app.pharos.test")).containsEntry("r3", 0)
        .hasEntrySatisfying("r4", w -> assertThat(w).isPositive());
  }

  @Test
  void twoOfFiveVantagesSilentAndARegionLostIsShortEvidenceWithoutItsOwnAgents() {
    Sim sim = healthy(fiveRegions());
    sim.silent.add("r3");
    sim.silent.add("r4");
    sim.run(3_000);
    sim.silent.add("r0");
    sim.killRegion("r0").run(6_000);
    // r1 and r2 see it failing, 3 of 4 are needed, two cannot vote and its own agents are silent
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.last().verdicts().get("r0").evidence()).isEqualTo(Evidence.SHORT);
  }

  private static List<AnalysisCode> codes(Sim sim) {
    return sim.steps.stream().flatMap(s -> s.analyses().stream()).map(Analysis::code).distinct().toList();
  }

  static PharosConfig fiveRegions() {
    StringBuilder y = new StringBuilder("regions:\n");
    for (int i = 0; i < 5; i++) {
      y.append("  - { name: r").append(i).append(", endpoints: [ { id: app, url: \"http://10.0.").append(i)
          .append(".1:8080/healthz\" } ] }\n");
    }
    y.append("dns:\n  zone: pharos.test\n  records:\n    - name: app.pharos.test\n      targets: {");
    for (int i = 0; i < 5; i++) {
      y.append(i == 0 ? " " : ", ").append("r").append(i).append(": [\"10.0.").append(i).append(".1\"]");
    }
    y.append(" }\ncontrollers:\n  peers:\n");
    for (int i = 0; i < 3; i++) {
      y.append("    - { id: c").append(i).append(", region: r").append(i).append(", raft: \"127.0.0.1:")
          .append(17600 + i).append("\", hazelcast: \"127.0.0.1:").append(15700 + i).append("\", api: \"127.0.0.1:")
          .append(18600 + i).append("\", dns: \"127.0.0.1:").append(15300 + i).append("\" }\n");
    }
    y.append("probes: { interval: 1s, timeout: 500ms, confirmAfter: 250ms, downAfter: 3, upAfter: 3 }\n");
    y.append("policy: { mode: auto, cooldown: 5m, maxAutoFailovers: { count: 2, per: 1h }, startupGrace: 10s }\n");
    return ConfigLoader.parse(y.toString(), TestConfigs.ENV);
  }
}
