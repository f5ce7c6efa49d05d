package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.EventType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status page's store: incidents follow the journal; retention and maintenance are entries of their own. */
class StatusHistoryTest {
  static final Map<String, Map<String, Integer>> BASE = Map.of("app.pharos.test", Map.of("a", 50, "b", 30, "c", 20));
  static final long DAY = 86_400_000L;

  /** b failed over (d1) at 1,000..1,020, an alert at 1,030; a failback (d2) at {@code back}. */
  static ControlState failedOverAndBack(long back) {
    ControlState s = ControlStateTest.failedOver();
    s = s.apply(new AlertRaised("RegionDown", "CRITICAL", "b", "b down", false, 3, 1_030, "c1"), 3, 25).state();
    Intent fb = new Intent("d2", IntentKind.FAILBACK, List.of("b"), Set.of(), Set.of(), BASE, "RegionRecovered",
        "operator alice: b is back", false, 0, 0, 3, back, "c1");
    s = s.apply(fb, 3, 27).state();
    s = s.apply(new Fenced("d2", 3, back + 5, "c1"), 3, 29).state();
    s = s.apply(new DnsCommitted("d2", "embedded", BASE, null, 3, back + 10, "c1"), 3, 31).state();
    return s.apply(new Completed("d2", back + 20, false, "verified", 3, back + 20, "c1"), 3, 33).state();
  }

  @Test
  void aFailoverOpensAnIncidentThatWaitsForTheFailbackAndCarriesItsStepsAndAlerts() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(ControlStateTest.intent("d1", 3), 3, 17)
        .state();
    assertThat(s.statusHistory().open()).singleElement().satisfies(i -> {
      assertThat(i.id()).isEqualTo("inc-d1");
      assertThat(i.kind()).isEqualTo(Incident.Kind.FAILOVER);
      assertThat(i.status()).isEqualTo(Incident.Status.IDENTIFIED);
      assertThat(i.timeline()).extracting(e -> e.type()).containsExactly(EventType.FIRST_FAILURE, EventType.DETECTED,
          EventType.DECIDED);
    });
    s = ControlStateTest.failedOver();
    Incident done = s.statusHistory().incident("inc-d1");
    assertThat(done.status()).as("traffic away, region still out").isEqualTo(Incident.Status.MONITORING);
    assertThat(done.weightsAfter()).isEqualTo(ControlStateTest.B_OUT);
    s = failedOverAndBack(5_000);
    Incident resolved = s.statusHistory().incident("inc-d1");
    assertThat(resolved.status()).isEqualTo(Incident.Status.RESOLVED);
    assertThat(resolved.resolvedAt()).isEqualTo(5_020);
    assertThat(resolved.decisionIds()).containsExactly("d1", "d2");
    assertThat(resolved.alerts()).extracting(e -> e.code()).containsExactly("RegionDown");
    assertThat(resolved.timeline()).filteredOn(e -> e.type() == EventType.COMPLETED).hasSize(2);
    assertThat(s.statusHistory().incidents()).hasSize(1);
    // the ring and the store are apart: the incident keeps its steps when the ring has moved on
    for (int k = 0; k < ControlState.MAX_EVENTS; k++) {
      s = s.apply(new Acknowledged("failover-limit", "bob", 3, 6_000 + k, "c1"), 3, 40 + 2 * k).state();
    }
    assertThat(s.events()).noneMatch(e -> "d1".equals(e.decisionId()));
    assertThat(s.statusHistory().incident("inc-d1").timeline()).anyMatch(e -> "d1".equals(e.decisionId()));
  }

  @Test
  void anEvacuationIsAnIncidentOfItsOwnWithItsStepsUntilItsRegionIsBack() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    s = s.apply(new EvacuationStarted("ev-a-100", "a", List.of(0), 1_000, "alice", "kernel upgrade", 3, 100, "c1"),
        3, 5).state();
    Incident started = s.statusHistory().incident("inc-ev-a-100");
    assertThat(started.kind()).isEqualTo(Incident.Kind.EVACUATION);
    assertThat(started.status()).isEqualTo(Incident.Status.IDENTIFIED);
    assertThat(started.startedBy()).isEqualTo("alice");
    Map<String, Map<String, Integer>> aOut = Map.of("app.pharos.test", Map.of("a", 0, "b", 60, "c", 40));
    s = s.apply(new Intent("ev-a-100-s1", IntentKind.EVACUATE, List.of("a"), Set.of("a"), Set.of(), aOut,
        "Evacuating", "step 1", false, 0, 0, 3, 200, "c1"), 3, 7).state();
    s = s.apply(new Fenced("ev-a-100-s1", 3, 205, "c1"), 3, 9).state();
    s = s.apply(new DnsCommitted("ev-a-100-s1", "embedded", aOut, null, 3, 210, "c1"), 3, 11).state();
    s = s.apply(new Completed("ev-a-100-s1", 220, false, "verified", 3, 220, "c1"), 3, 13).state();
    Incident out = s.statusHistory().incident("inc-ev-a-100");
    assertThat(out.decisionIds()).containsExactly("ev-a-100-s1");
    assertThat(out.status()).as("evacuated, waiting to be failed back").isEqualTo(Incident.Status.MONITORING);
    assertThat(s.statusHistory().incidents()).hasSize(1);
  }

  @Test
  void anApprovedDecisionNamesItsApprover() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    s = s.apply(new ApprovalRequested("d1", IntentKind.FAILOVER, List.of("b"), "RegionDown", "b down", "policy.mode"
        + " approve", 900, 800, 3, 950, "c1"), 3, 15).state();
    s = s.apply(new ApprovalGranted("d1", "carol", "confirmed on the phone", 3, 960, "c1"), 3, 16).state();
    s = s.apply(ControlStateTest.intent("d1", 3), 3, 17).state();
    assertThat(s.statusHistory().incident("inc-d1").approvedBy()).containsExactly("carol: confirmed on the phone");
  }

  @Test
  void pruningDropsResolvedIncidentsAndPastWindowsOlderThanTheRetentionOnly() {
    ControlState s = failedOverAndBack(5_000);
    s = s.apply(new MaintenanceScheduled("mw-1", List.of("a"), 6_000, 7_000, "db upgrade", "alice", "planned", 3,
        5_500, "c1"), 3, 41).state();
    s = s.apply(new MaintenanceScheduled("mw-2", List.of("c"), 200 * DAY, 201 * DAY, "network work", "alice",
        "planned", 3, 5_600, "c1"), 3, 43).state();
    // a second failover, still open
    Intent again = new Intent("d3", IntentKind.FAILOVER, List.of("c"), Set.of("c"), Set.of("c"),
        Map.of("app.pharos.test", Map.of("a", 60, "b", 40, "c", 0)), "RegionDown", "c down", true, 0, 0, 3, 8_000,
        "c1");
    s = s.apply(again, 3, 45).state();
    assertThat(s.statusHistory().hasOlderThan(5_000)).isFalse();
    assertThat(s.statusHistory().hasOlderThan(90 * DAY)).isTrue();
    Applied refused = s.apply(new StatusPruned(100 * DAY, 3, 90 * DAY, "c1"), 3, 47);
    assertThat(refused.accepted()).as("no pruning up to a time after the entry").isFalse();
    s = s.apply(new StatusPruned(90 * DAY - 1, 3, 90 * DAY, "c1"), 3, 49).state();
    assertThat(s.statusHistory().incidents()).extracting(Incident::id).containsExactly("inc-d3");
    assertThat(s.statusHistory().maintenance()).extracting(MaintenanceWindow::id).containsExactly("mw-2");
  }

  @Test
  void maintenanceIsCheckedAndCanBeCalledOff() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    assertThat(s.apply(new MaintenanceScheduled("mw-1", List.of("x"), 2_000, 3_000, "t", "al", "r", 3, 1_000, "c1"),
        3, 5).detail()).contains("region 'x' is not configured");
    assertThat(s.apply(new MaintenanceScheduled("mw-1", List.of("a"), 3_000, 2_000, "t", "al", "r", 3, 1_000, "c1"),
        3, 5).detail()).contains("end after it starts");
    assertThat(s.apply(new MaintenanceScheduled("mw-1", List.of("a"), 100, 200, "t", "al", "r", 3, 1_000, "c1"),
        3, 5).detail()).contains("end in the future");
    s = s.apply(new MaintenanceScheduled("mw-1", List.of("a"), 2_000, 3_000, "t", "al", "r", 3, 1_000, "c1"), 3, 5)
        .state();
    assertThat(s.statusHistory().maintenance().get(0).upcomingAt(1_500)).isTrue();
    assertThat(s.statusHistory().maintenance().get(0).activeAt(2_500)).isTrue();
    assertThat(s.apply(new MaintenanceCancelled("mw-9", "al", "r", 3, 1_100, "c1"), 3, 7).accepted()).isFalse();
    s = s.apply(new MaintenanceCancelled("mw-1", "al", "moved", 3, 1_100, "c1"), 3, 7).state();
    assertThat(s.statusHistory().maintenance().get(0).activeAt(2_500)).isFalse();
    assertThat(s.statusHistory().incidents()).as("announcing maintenance opens no incident").isEmpty();
    assertThat(s.events()).extracting(e -> e.code()).contains("MaintenanceScheduled", "MaintenanceCancelled");
  }

  @Test
  void theStoreSurvivesASnapshotAndTheNewEntriesTheirCodec() throws Exception {
    ControlState s = failedOverAndBack(5_000).apply(new MaintenanceScheduled("mw-1", List.of("a"), 6_000, 7_000,
        "db", "al", "r", 3, 5_500, "c1"), 3, 41).state();
    ControlState back = JournalCodec.decodeState(JournalCodec.encodeState(s));
    assertThat(back.statusHistory()).isEqualTo(s.statusHistory());
    // a snapshot written before the store existed reads as an empty store
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JournalCodec.mapper().readTree(
        JournalCodec.encodeState(s));
    tree.remove("statusHistory");
    assertThat(JournalCodec.decodeState(JournalCodec.mapper().writeValueAsBytes(tree)).statusHistory())
        .isEqualTo(StatusHistory.EMPTY);
    for (JournalEntry e : List.<JournalEntry>of(
        new MaintenanceScheduled("mw-1", List.of("a"), 1, 2, "t", "al", "r", 3, 0, "c1"),
        new MaintenanceCancelled("mw-1", "al", "r", 3, 0, "c1"), new StatusPruned(5, 3, 9, "c1"))) {
      assertThat(JournalCodec.formatVersion(e)).isEqualTo(2);
      assertThat(JournalCodec.decode(JournalCodec.encode(e))).isEqualTo(e);
    }
  }
}
