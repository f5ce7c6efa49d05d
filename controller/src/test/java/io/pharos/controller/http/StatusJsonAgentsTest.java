package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.testkit.config.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /v1/status shows the agents heard per region and those dropped after probes.agentExpiry. */
class StatusJsonAgentsTest {
  @Test
  void droppedAgentsAreListedWithWhenTheyWereLastHeard() {
    PharosConfig config = TestConfigs.threeRegions();
    ViewAggregator aggregator = new ViewAggregator(config);
    long t0 = 1_800_000_000_000L;
    aggregator.ingest(new Report(Report.VERSION, "a", 1, "a-old", 1, 1, t0, 0, t0, List.of(Observation.up("b", "app", 1, 200, t0))),
        t0, false);
    long now = t0 + config.probes().agentExpiry().toMillis() + 1_000;
    aggregator.ingest(new Report(Report.VERSION, "a", 1, "a-new", 1, 1, now, 0, now, List.of(Observation.up("b", "app", 1, 200, now))),
        now, false);

    JsonNode agents = StatusJson.agents(aggregator.snapshot(now));

    assertThat(agents.path("regions").path("a").path("known").asInt()).isEqualTo(1);
    assertThat(agents.path("regions").path("a").path("live").asInt()).isEqualTo(1);
    assertThat(agents.path("regions").path("b").path("known").asInt()).isZero();
    assertThat(agents.path("droppedTotal").asLong()).isEqualTo(1);
    assertThat(agents.path("dropped").get(0).path("id").asText()).isEqualTo("a-old");
    assertThat(agents.path("dropped").get(0).path("lastHeardAt").asLong()).isEqualTo(t0);
  }
}
