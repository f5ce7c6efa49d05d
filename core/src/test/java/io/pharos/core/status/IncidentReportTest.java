package io.pharos.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.Incident;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An incident's report, built from the replicated incident alone, in the drill report's format. */
class IncidentReportTest {
  static Incident failoverOfB() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    s = s.apply(new Intent("d1", IntentKind.FAILOVER, List.of("b"), Set.of("b"), Set.of("b"),
        Map.of("app.pharos.test", Map.of("a", 71, "b", 0, "c", 29)), "RegionDown", "b seen failing by a, c", true,
        10_900, 10_000, 3, 11_000, "c1"), 3, 17).state();
    s = s.apply(new AlertRaised("RegionDown", "CRITICAL", "b", "b down", false, 3, 11_001, "c1"), 3, 18).state();
    s = s.apply(new Fenced("d1", 3, 11_050, "c1"), 3, 19).state();
    s = s.apply(new DnsCommitted("d1", "embedded", Map.of("app.pharos.test", Map.of("a", 71, "b", 0, "c", 29)), null,
        3, 11_100, "c1"), 3, 21).state();
    s = s.apply(new Completed("d1", 11_200, false, "every name server answers", 3, 11_210, "c1"), 3, 23).state();
    return s.statusHistory().incident("inc-d1");
  }

  @Test
  void theReportMeasuresFromTheFirstFailingProbeAgainstTheDesignTargets() {
    IncidentReport r = IncidentReport.of(failoverOfB());
    assertThat(r.origin()).isEqualTo("the first failing probe");
    assertThat(r.timeline()).filteredOn(m -> m.key().equals("detected")).singleElement()
        .satisfies(m -> assertThat(m.sinceFaultMs()).isEqualTo(900L))
        .satisfies(m -> assertThat(m.withinTarget()).isTrue());
    assertThat(r.timeline()).filteredOn(m -> m.key().equals("dns-committed:d1")).singleElement()
        .satisfies(m -> assertThat(m.sinceFaultMs()).isEqualTo(1_100L))
        .satisfies(m -> assertThat(m.targetMs()).isEqualTo(IncidentReport.DNS_TARGET_MS));
    assertThat(r.rto().actualMs()).as("first failing probe to verified").isEqualTo(1_200L);
    assertThat(r.rpo().actualMs()).isNull();
    assertThat(r.alerts()).extracting(e -> e.code()).containsExactly("RegionDown");
    assertThat(r.status()).isEqualTo("Monitoring");
    assertThat(r.impact()).anyMatch(l -> l.startsWith("b out of traffic from") && l.endsWith("still out"));
    assertThat(r.startedBy()).isNull();
  }

  @Test
  void theReportRendersAsMarkdownHtmlAndJsonWithActionItemsToFillIn() {
    IncidentReport r = IncidentReport.of(failoverOfB());
    String md = IncidentReports.markdown(r);
    assertThat(md).contains("# Incident report: b unavailable", "## RTO and RPO", "## Timeline (time since the first"
        + " failing probe)", "## Impact", "## Alerts sent", "## Controller events", "## Action items", "## Sign-off",
        "| detected (region DOWN) | 0.900 s | ≤ 3 s | met |");
    String html = IncidentReports.html(r);
    assertThat(html).contains("<svg id=\"timeline\"", "<h2>Action items</h2>", "table class=\"signoff\"")
        .doesNotContain("<script");
    assertThat(r.toJson()).contains("\"schema\" : \"pharos.incident-report/v1\"");
  }
}
