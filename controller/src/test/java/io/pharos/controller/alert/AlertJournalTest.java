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
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.config.TestConfigs;
import java.time.Duration;
import java.util.function.Consumer;

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

  @Test
  void aNewTermStartsFromTheRaisedConditionsInTheJournal() {
    FakeClock clock = new FakeClock();
    ControlState[] state = {ControlState.initial(TestConfigs.threeRegions())};
    long[] index = {0};
    Consumer<AlertRaised> commit = a -> {
      recorded.add(a);
      state[0] = state[0].apply(a, a.proposerTerm(), ++index[0]).state();
    };
    AlertJournal first = new AlertJournal("c1", clock, commit, term::get, () -> state[0].outbox());
    first.update(List.of(PARTITION, new Analysis(AnalysisCode.REGION_DEGRADED, "a", "a degraded")));
    // another leader (or this one in a new term): the partition still holds, the degradation ended
    term.set(5);
    AlertJournal next = new AlertJournal("c2", clock, commit, term::get, () -> state[0].outbox());
    next.update(List.of(PARTITION));
    assertThat(lines()).containsExactlyInAnyOrder("MonitoringPartition b @4", "RegionDegraded a @4",
        "RegionDegraded a cleared @5");
  }

  @Test
  void aRegionDownIsAlertedOnceItHasLastedThirtySeconds() {
    FakeClock clock = new FakeClock();
    AlertJournal alerts = new AlertJournal("c1", clock, recorded::add, term::get);
    alerts.update(List.of(DOWN));
    clock.advance(Duration.ofMillis(AlertJournal.REGION_DOWN_ALERT_MS - 1));
    alerts.update(List.of(DOWN));
    assertThat(recorded).isEmpty();
    clock.advance(Duration.ofMillis(1));
    alerts.update(List.of(DOWN));
    alerts.update(List.of(DOWN));
    assertThat(lines()).containsExactly("RegionDown c @4");
    assertThat(recorded.get(0).severity()).isEqualTo("CRITICAL");
    alerts.update(List.of());
    // a short one again is not alerted
    alerts.update(List.of(DOWN));
    clock.advance(Duration.ofSeconds(5));
    alerts.update(List.of());
    assertThat(lines()).containsExactly("RegionDown c @4", "RegionDown c cleared @4");
  }
}
