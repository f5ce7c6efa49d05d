package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import org.junit.jupiter.api.Test;

/** A failed-over region that stays down is paged past 30 s (DESIGN.md "Alerts"), and cleared when it recovers. */
class RegionStillDownTest {
  @Test
  void aFailedOverRegionDownForThirtySecondsIsAlertedUntilItRecovers() {
    Sim sim = new Sim(TestConfigs.threeRegions());
    sim.run(12_000);
    sim.killRegion("b").run(8_000);
    assertThat(sim.control.out()).containsExactly("b");
    assertThat(sim.analyses(AnalysisCode.REGION_STILL_DOWN)).isEmpty();
    sim.run(30_000);
    assertThat(sim.analyses(AnalysisCode.REGION_STILL_DOWN)).singleElement().satisfies(a -> {
      assertThat(a.region()).isEqualTo("b");
      assertThat(a.message()).startsWith("failed over, and down for ");
    });
    assertThat(AnalysisCode.REGION_STILL_DOWN.severity()).isEqualTo(AnalysisCode.Severity.CRITICAL);
    sim.failing = (v, e) -> false;
    sim.run(10_000);
    assertThat(sim.analyses(AnalysisCode.REGION_STILL_DOWN)).isEmpty();
  }
}
