package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RegionDegraded: sustained, with hysteresis, and never raised by an outage's own failures. */
class RegionDegradedTest {
  private static final String SHORT_WINDOW = "recoverAfter: 30s, degradedAfter: 20s, failback: auto, cooldown: 10s";

  /** Every {@code every}-th probe of each vantage of {@code region} fails (never a run of failures). */
  private static void gray(Sim sim, String region, int every) {
    Map<String, Integer> count = new HashMap<>();
    sim.failing = (vantage, endpoint) -> endpoint.startsWith(region + "/")
        && count.merge(vantage + endpoint, 1, Integer::sum) % every == 0;
  }

  @Test
  void aSustainedErrorRateRaisesItAndItClearsOnceTheWindowIsClean() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("recoverAfter: 30s", SHORT_WINDOW));
    sim.run(12_000);
    gray(sim, "b", 10); // 10 % of b's probes fail
    sim.run(8_000);
    assertThat(sim.analyses(AnalysisCode.REGION_DEGRADED)).as("not sustained through a whole window yet").isEmpty();
    sim.run(25_000);
    assertThat(sim.analyses(AnalysisCode.REGION_DEGRADED)).singleElement().satisfies(a -> {
      assertThat(a.region()).isEqualTo("b");
      assertThat(a.message()).contains("through the last 20s").contains("clears at 0.50 %");
    });
    assertThat(sim.decisions).isEmpty();
    // the errors stop: it stays raised while the newer half of the window still holds them, then clears
    sim.failing = (v, e) -> false;
    sim.run(3_000);
    assertThat(sim.analyses(AnalysisCode.REGION_DEGRADED)).hasSize(1);
    sim.run(12_000);
    assertThat(sim.analyses(AnalysisCode.REGION_DEGRADED)).isEmpty();
  }

  @Test
  void aBurstOfErrorsIsNotSustained() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("recoverAfter: 30s", SHORT_WINDOW));
    sim.run(30_000);
    gray(sim, "b", 5); // 20 % for 6 s, inside one half of the window
    sim.run(6_000);
    sim.failing = (v, e) -> false;
    sim.run(30_000);
    assertThat(sim.everSaw(AnalysisCode.REGION_DEGRADED)).isFalse();
  }

  @Test
  void aRecoveryAfterAnOutageRaisesNoDegradedAlert() {
    Sim sim = new Sim(TestConfigs.threeRegionsWith("recoverAfter: 30s", SHORT_WINDOW));
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    assertThat(sim.decisions).hasSize(1);
    sim.failing = (v, e) -> false;
    sim.run(90_000); // recovered, failed back, and a whole degraded window after it
    assertThat(sim.decisions).hasSize(2);
    assertThat(sim.everSaw(AnalysisCode.REGION_DEGRADED)).isFalse();
  }
}
