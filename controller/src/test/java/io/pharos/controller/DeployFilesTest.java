package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shape of {@code deploy/}: a dashboard Grafana can import and rules Prometheus can load
 * (the metric names in them are checked against running processes by {@link ObservabilityTest}).
 */
class DeployFilesTest {
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void the_dashboard_has_unique_placed_panels_each_with_a_query_on_the_prometheus_input() throws Exception {
    JsonNode d = new ObjectMapper().readTree(ObservabilityTest.root().resolve("deploy/grafana/pharos.json").toFile());
    assertThat(d.path("uid").asText()).isEqualTo("pharos");
    assertThat(d.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
    Set<Integer> ids = new HashSet<>();
    int queries = 0;
    for (JsonNode p : d.path("panels")) {
      assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
      assertThat(p.path("gridPos").path("w").asInt()).as(p.path("title").asText()).isBetween(1, 24);
      assertThat(p.path("gridPos").has("x") && p.path("gridPos").has("y")).isTrue();
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
      assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
      for (JsonNode t : p.path("targets")) {
        assertThat(t.path("expr").asText()).isNotBlank();
        assertThat(t.path("refId").asText()).isNotBlank();
        queries++;
      }
    }
    assertThat(d.path("panels").findValuesAsText("title")).contains("Failover timeline: region state",
        "Region verdicts", "Probe latency p50 / p99", "Reports: agents to controllers", "DNS provider calls",
        "Embedded DNS answers by rcode", "Raft lag");
    assertThat(d.path("templating").path("list").get(0).path("name").asText()).isEqualTo("region");
    assertThat(queries).isGreaterThan(40);
  }

  @Test
  void every_rule_is_a_named_alert_with_a_known_severity_a_duration_and_a_summary() throws Exception {
    Map<String, Object> rules = new Yaml().load(Files.readString(ObservabilityTest.root()
        .resolve("deploy/prometheus/rules.yaml")));
    Set<String> names = new HashSet<>();
    for (Object g : (List<?>) rules.get("groups")) {
      Map<?, ?> group = (Map<?, ?>) g;
      assertThat(group.get("name")).asString().startsWith("pharos-");
      for (Object r : (List<?>) group.get("rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        String alert = String.valueOf(rule.get("alert"));
        assertThat(names.add(alert)).as("alert %s named once", alert).isTrue();
        assertThat(alert).startsWith("Pharos");
        assertThat(String.valueOf(rule.get("for"))).as(alert).matches("\\d+[smh]");
        assertThat(SEVERITIES).as(alert).contains(String.valueOf(((Map<?, ?>) rule.get("labels")).get("severity")));
        assertThat(((Map<?, ?>) rule.get("annotations")).get("summary")).as(alert).isNotNull();
        String expr = String.valueOf(rule.get("expr"));
        assertThat(expr.chars().filter(c -> c == '(').count()).as(alert + ": balanced parentheses")
            .isEqualTo(expr.chars().filter(c -> c == ')').count());
      }
    }
    assertThat(names).contains("PharosRegionDown", "PharosControllerMinority", "PharosDnsProviderErrors",
        "PharosReportsDropped", "PharosDnsProviderBreakerOpen", "PharosAgentSelfFenced");
  }
}
