package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.ControlState;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.Observation;
import org.junit.jupiter.api.Test;

/** Capacity headroom rides in signed reports as an observation; only a region's own agents speak for it. */
class CapacityReportTest {
  static final long T0 = 1_800_000_000_000L;
  static final PharosConfig CONFIG = TestConfigs.threeRegionsYamlWith(
      "  - name: b\n    endpoints:", "  - name: b\n    capacity: \"http://127.0.0.1:18092/capacity\"\n    endpoints:",
      "  - name: c\n    endpoints:", "  - name: c\n    capacity: \"http://127.0.0.1:18093/capacity\"\n    endpoints:");

  @Test
  void aRegionsOwnAgentsCarryItsHeadroomAndNobodyElseCan() {
    assertThat(CONFIG.region("b").orElseThrow().capacity()).hasToString("http://127.0.0.1:18092/capacity");
    ReportVerifier verifier = new ReportVerifier(CONFIG, r -> ControlState.initial(CONFIG).regionKey(r));
    ReportVerifier.Accepted own = (ReportVerifier.Accepted) verifier.verify(new TestAgent("b", "agent-b", T0)
        .frame(T0, Capacity.reading("b", 35, 900, T0), Observation.up("a", "app", 1, 200, T0)), T0 + 2);
    assertThat(own.droppedObservations()).isZero();
    ReportVerifier.Accepted other = (ReportVerifier.Accepted) verifier.verify(new TestAgent("a", "agent-a", T0)
        .frame(T0, Capacity.reading("b", 99, 900, T0), Capacity.reading("a", 50, 900, T0)), T0 + 2);
    assertThat(other.droppedObservations()).as("a about b, and a without a capacity endpoint").isEqualTo(2);

    ViewAggregator view = new ViewAggregator(CONFIG);
    view.ingest(own.report(), T0 + 2, false);
    view.ingest(other.report(), T0 + 2, false);
    assertThat(view.snapshot(T0 + 3).capacity()).containsOnlyKeys("b");
    assertThat(view.snapshot(T0 + 3).capacity().get("b").headroomPercent()).isEqualTo(35);
    assertThat(view.snapshot(T0 + 60_000).capacity()).as("a reading goes stale").isEmpty();
  }

  @Test
  void theFrameLimitMakesRoomForCapacity() {
    assertThat(ReportLimits.of(CONFIG).frameBytes()).isGreaterThan(ReportLimits.of(TestConfigs.threeRegions())
        .frameBytes());
  }

  @Test
  void capacityEndpointsAnswerJsonHeadroom() {
    assertThat(Capacity.parse("{\"headroomPercent\": 35}")).isEqualTo(35);
    assertThat(Capacity.parse("{\"headroomPercent\": 12.6, \"other\": 1}")).isEqualTo(13);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Capacity.parse("{\"headroom\": 3}"))
        .hasMessageContaining("no number 'headroomPercent'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Capacity.parse("{\"headroomPercent\": 130}"))
        .hasMessageContaining("0..100");
  }
}
