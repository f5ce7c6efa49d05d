package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.model.Mode;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {

  private Sim healthySim() {
    Sim sim = new Sim(TestConfigs.threeRegions());
    sim.run(12_000); // past the 10 s startup grace
    assertThat(sim.last().health()).allSatisfy((r, s) -> assertThat(s).isEqualTo(RegionState.HEALTHY));
    assertThat(sim.decisions).isEmpty();
    return sim;
  }

  @Test
  void failsOverALostRegionOnceAndNeverZeroesEveryWeight() {
    Sim sim = healthySim();
    long fault = sim.now;
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).hasSize(1);
    Decision d = sim.decisions.get(0);
    assertThat(d.kind()).isEqualTo(IntentKind.FAILOVER);
    assertThat(d.regions()).containsExactly("b");
    assertThat(d.weights().get("app.pharos.test")).containsEntry("b", 0).containsEntry("a", 71).containsEntry("c", 29);
    assertThat(d.readOnly()).containsExactly("b");
    assertThat(d.detectedAt() - fault).as("detection time").isLessThanOrEqualTo(3_000);
    assertThat(sim.control.zone().weights().get("app.pharos.test")).containsEntry("b", 0);
    assertThat(sim.control.modes().get("b").mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(sim.control.modes().get("a").mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(sim.last().analyses()).extracting(Analysis::code).contains(AnalysisCode.FAILED_OVER);
  }

  @Test
  void aSilentRegionWhoseAppOthersSeeServingIsAMonitoringPartitionNotALoss() {
    Sim sim = healthySim();
    sim.silent.add("b");
    sim.run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.MONITORING_PARTITION)).singleElement()
        .satisfies(a -> assertThat(a.region()).isEqualTo("b"));
    assertThat(sim.last().health().get("b")).isEqualTo(RegionState.HEALTHY);
  }

  @Test
  void aLostRegionWhoseAgentsAlsoWentSilentIsStillALoss() {
    Sim sim = healthySim();
    sim.silent.add("b");
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> assertThat(d.regions()).containsExactly("b"));
  }

  @Test
  void oneVantageSeeingARegionFailIsNotAMajority() {
    Sim sim = healthySim();
    sim.failing = (vantage, endpoint) -> vantage.equals("a") && endpoint.startsWith("b/");
    sim.run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.last().health().get("b")).isEqualTo(RegionState.SUSPECT);
  }

  @Test
  void anObserverThatSeesEverythingFailingIsIgnored() {
    Sim sim = healthySim();
    sim.failing = (vantage, endpoint) -> vantage.equals("c") && !endpoint.startsWith("c/");
    sim.run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.OBSERVER_ISOLATED)).singleElement()
        .satisfies(a -> assertThat(a.region()).isEqualTo("c"));
  }

  @Test
  void whenEveryRegionLooksDownNothingChanges() {
    Sim sim = healthySim();
    sim.killRegion("a").killRegion("b").killRegion("c").run(10_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.everSaw(AnalysisCode.ALL_REGIONS_DOWN) || sim.everSaw(AnalysisCode.OBSERVER_ISOLATED)).isTrue();
    assertThat(sim.control.zone().weights().get("app.pharos.test")).containsEntry("a", 50).containsEntry("b", 30);
  }

  @Test
  void aLossDuringStartupGraceIsHeldAndNamed() {
    Sim sim = new Sim(TestConfigs.threeRegions());
    sim.run(4_000);
    sim.killRegion("b").run(4_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.FAILOVER_BLOCKED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("startup grace"));
    sim.run(4_000);
    assertThat(sim.decisions).hasSize(1);
  }

  @Test
  void theAutomaticFailoverLimitStopsAutomationAndNamesTheAck() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("count: 2", "count: 1"));
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).hasSize(1);
    sim.killRegion("c").run(5_000);
    assertThat(sim.decisions).hasSize(1);
    assertThat(sim.analyses(AnalysisCode.FAILOVER_BLOCKED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains(SafetyRules.ACK_FAILOVER_LIMIT));
  }

  @Test
  void observeModeDecidesNothing() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("mode: auto", "mode: observe"));
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).isEmpty();
    assertThat(sim.analyses(AnalysisCode.FAILOVER_BLOCKED)).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("observe"));
  }

  @Test
  void failbackIsManualByDefaultAndAutomaticOnlyAfterStabilisation() {
    Sim manual = healthySim();
    manual.killRegion("b").run(5_000);
    manual.failing = (v, e) -> false;
    manual.run(40_000);
    assertThat(manual.decisions).hasSize(1);
    assertThat(manual.analyses(AnalysisCode.REGION_RECOVERED)).hasSize(1);

    Sim auto = new Sim(TestConfigs.threeRegionsWith("recoverAfter: 30s", "recoverAfter: 30s, failback: auto, cooldown: 10s"));
    auto.run(12_000);
    auto.killRegion("b").run(5_000);
    auto.failing = (v, e) -> false;
    auto.run(20_000);
    assertThat(auto.decisions).hasSize(1);
    auto.run(20_000);
    assertThat(auto.decisions).hasSize(2);
    assertThat(auto.decisions.get(1).kind()).isEqualTo(IntentKind.FAILBACK);
    assertThat(auto.control.zone().weights().get("app.pharos.test")).containsEntry("b", 30);
    assertThat(auto.control.modes().get("b").mode()).isEqualTo(Mode.READ_WRITE);
  }
}
