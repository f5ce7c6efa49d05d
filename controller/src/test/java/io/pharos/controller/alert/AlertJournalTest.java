package io.pharos.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.journal.AlertRaised;
import io.pharos.testkit.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AlertJournalTest {
  final List<AlertRaised> recorded = new ArrayList<>();
  final AtomicLong term = new AtomicLong(4);
  final AlertJournal alerts = new AlertJournal("c1", new FakeClock(), recorded::add, term::get);

  static final Analysis PARTITION = new Analysis(AnalysisCode.MONITORING_PARTITION, "b", "b's agents are silent");
  static final Analysis DOWN = new Analysis(AnalysisCode.REGION_DOWN, "c", "c is down");
  static final Analysis HEALTHY = new Analysis(AnalysisCode.HEALTHY, "a", "fine");

  private List<String> lines() {
    return recorded.stream().map(a -> a.code() + " " + a.region() + (a.cleared() ? " cleared" : "") + " @"
        + a.proposerTerm()).toList();
  }

  @Test
  void recordsAnAlertingConditionOnceWhenItStartsAndOnceWhenItClears() {
    alerts.update(List.of(PARTITION, DOWN, HEALTHY));
    alerts.update(List.of(PARTITION, DOWN, HEALTHY));
    alerts.update(List.of(HEALTHY));
    alerts.update(List.of());
    // a failover is recorded as its decision, a healthy region not at all
    assertThat(lines()).containsExactly("MonitoringPartition b @4", "MonitoringPartition b cleared @4");
    assertThat(recorded.get(0).message()).isEqualTo("b's agents are silent");
    assertThat(recorded.get(0).severity()).isEqualTo("WARNING");
  }

  @Test
  void aNewTermRecordsTheConditionsStillActiveOnceMore() {
    alerts.update(List.of(PARTITION));
    term.set(5);
    alerts.update(List.of(PARTITION));
    alerts.update(List.of(PARTITION));
    assertThat(lines()).containsExactly("MonitoringPartition b @4", "MonitoringPartition b @5");
  }
}
