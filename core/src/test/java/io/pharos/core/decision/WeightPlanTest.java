package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightPlanTest {
  @Test
  void givesTheLostShareToTheOthersInProportion() {
    assertThat(WeightPlan.planRecord(Map.of("a", 50, "b", 30, "c", 20), List.of("b")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 71, "b", 0, "c", 29));
    assertThat(WeightPlan.planRecord(Map.of("a", 1, "b", 1, "c", 1), List.of("a")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 0, "b", 2, "c", 1));
  }

  @Test
  void neverReturnsAllZeroAndCapsAtTheProviderMaximum() {
    assertThat(WeightPlan.planRecord(Map.of("a", 50, "b", 30), List.of("a", "b"))).isNull();
    assertThat(WeightPlan.planRecord(Map.of("a", 200, "b", 200), List.of("a"))).containsEntry("b", 255);
    assertThat(WeightPlan.plan(TestConfigs.threeRegions().dns(), List.of("a", "b", "c"))).isEmpty();
  }

  @Test
  void regionsWithBaseWeightZeroStayZero() {
    assertThat(WeightPlan.planRecord(Map.of("a", 0, "b", 10, "c", 10), List.of("b")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 0, "b", 0, "c", 20));
  }
}
