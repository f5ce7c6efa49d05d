package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.PharosEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControlStateTest {
  static final Map<String, Map<String, Integer>> B_OUT = Map.of("app.pharos.test", Map.of("a", 71, "b", 0, "c", 29));

  static Intent intent(String id, long term) {
    return new Intent(id, IntentKind.FAILOVER, List.of("b"), Set.of("b"), Set.of("b"), B_OUT, "RegionDown", "test",
        true, 900, 800, term, 1_000, "c1");
  }

  @Test
  void anIntentGoesThroughItsPhasesAndTheTokenIsItsOwnTermAndIndex() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    Applied a = s.apply(intent("d1", 3), 3, 17);
    assertThat(a.accepted()).isTrue();
    s = a.state();
    assertThat(s.pending().token()).isEqualTo(new FencingToken(3, 17));
    assertThat(s.modes().get("b")).isEqualTo(new RegionMode(Mode.READ_ONLY, new FencingToken(3, 17), "RegionDown d1"));
    assertThat(s.zone().token()).isEqualTo(FencingToken.NONE);
    assertThat(s.apply(new DnsCommitted("d1", "embedded", B_OUT, null, 3, 1_010, "c1"), 3, 19).accepted())
        .as("DNS before fencing").isFalse();
    s = s.apply(new Fenced("d1", 3, 1_005, "c1"), 3, 19).state();
    s = s.apply(new DnsCommitted("d1", "embedded", B_OUT, null, 3, 1_010, "c1"), 3, 21).state();
    assertThat(s.zone().weights()).isEqualTo(B_OUT);
    assertThat(s.zone().token()).isEqualTo(new FencingToken(3, 17));
    assertThat(s.zone().serial()).isEqualTo(2);
    s = s.apply(new Completed("d1", 1_020, false, "verified", 3, 1_020, "c1"), 3, 23).state();
    assertThat(s.pending()).isNull();
    assertThat(s.events()).extracting(e -> e.type()).containsExactly(EventType.FIRST_FAILURE, EventType.DETECTED, EventType.DECIDED,
        EventType.FENCED, EventType.DNS_COMMITTED, EventType.VERIFIED, EventType.COMPLETED);
  }

  /** A failover d1 carried through every phase, at times 1,000..1,020. */
  static ControlState failedOver() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(intent("d1", 3), 3, 17).state();
    s = s.apply(new Fenced("d1", 3, 1_005, "c1"), 3, 19).state();
    s = s.apply(new DnsCommitted("d1", "embedded", B_OUT, null, 3, 1_010, "c1"), 3, 21).state();
    return s.apply(new Completed("d1", 1_020, false, "verified", 3, 1_020, "c1"), 3, 23).state();
  }

  @Test
  void alertChurnNeverEvictsAFailoverFromTheTimeline() {
    ControlState s = failedOver();
    long index = 25;
    // a flapping alert: every raise and clear is a journal entry
    for (int i = 0; i < ControlState.MAX_EVENTS; i++) {
      s = s.apply(new AlertRaised("ProviderDegraded", "WARNING", null, "flap " + i, i % 2 == 1, 3, 2_000 + i, "c1"),
          3, index += 2).state();
    }
    assertThat(s.events()).extracting(e -> e.type()).containsSubsequence(EventType.DECIDED, EventType.FENCED,
        EventType.DNS_COMMITTED, EventType.VERIFIED, EventType.COMPLETED);
    // the alerts have a ring of their own, bounded too
    assertThat(s.alerts()).hasSize(ControlState.MAX_ALERTS);
    assertThat(s.alerts().get(ControlState.MAX_ALERTS - 1).detail()).isEqualTo("cleared: flap 499");
    // the timeline (what /v1/events serves) has both, by time
    List<PharosEvent> timeline = s.timeline();
    assertThat(timeline).hasSize(s.events().size() + s.alerts().size());
    assertThat(timeline).containsSubsequence(s.events()).containsSubsequence(s.alerts());
    assertThat(timeline.get(timeline.size() - 1).type()).isEqualTo(EventType.ALERT);
    assertThat(timeline).filteredOn(e -> e.type() == EventType.COMPLETED).singleElement()
        .satisfies(e -> assertThat(e.decisionId()).isEqualTo("d1"));
  }

  @Test
  void theTimelineMergesAlertsBetweenTheStepsOfADecision() throws Exception {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(intent("d1", 3), 3, 17).state();
    s = s.apply(new AlertRaised("DnsNotVerified", "CRITICAL", "b", "stale", false, 3, 1_003, "c1"), 3, 18).state();
    s = s.apply(new Fenced("d1", 3, 1_005, "c1"), 3, 19).state();
    s = s.apply(new AlertRaised("DnsNotVerified", "CRITICAL", "b", "stale", true, 3, 1_005, "c1"), 3, 20).state();
    assertThat(s.timeline()).extracting(e -> e.type() + "@" + e.at()).containsExactly("FIRST_FAILURE@800",
        "DETECTED@900", "DECIDED@1000", "ALERT@1003", "FENCED@1005", "ALERT@1005");
    // a rejected alert entry stays with the alerts
    Applied late = s.apply(new AlertRaised("X", "WARNING", null, "late", false, 2, 1_006, "c1"), 3, 21);
    assertThat(late.accepted()).isFalse();
    assertThat(late.state().events()).isEqualTo(s.events());
    assertThat(late.state().alerts()).extracting(PharosEvent::type).endsWith(EventType.REJECTED);
    // a snapshot written before the alerts had their own ring reads with none
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) JournalCodec.mapper().readTree(
        JournalCodec.encodeState(s));
    tree.remove("alerts");
    ControlState old = JournalCodec.decodeState(JournalCodec.mapper().writeValueAsBytes(tree));
    assertThat(old.alerts()).isEmpty();
    assertThat(old.events()).isEqualTo(s.events());
    assertThat(JournalCodec.decodeState(JournalCodec.encodeState(s))).isEqualTo(s);
  }

  @Test
  void refusesAnEntryProposedInAnEarlierTerm() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    Applied a = s.apply(intent("d1", 3), 4, 17);
    assertThat(a.accepted()).isFalse();
    assertThat(a.detail()).contains("proposed in term 3 but appended in term 4");
    assertThat(a.state().pending()).isNull();
    assertThat(a.state().out()).isEmpty();
  }

  @Test
  void takesOneChangeAtATimeAndEachDecisionOnce() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(intent("d1", 1), 1, 3).state();
    assertThat(s.apply(intent("d2", 1), 1, 5).detail()).contains("d1 is still in progress");
    s = s.apply(new Completed("d1", 0, true, "aborted for test", 1, 2_000, "c1"), 1, 7).state();
    assertThat(s.apply(intent("d1", 1), 1, 9).detail()).contains("already committed");
  }

  @Test
  void neverAcceptsAnIntentThatZeroesEveryWeight() {
    Intent zero = new Intent("dz", IntentKind.FAILOVER, List.of("a", "b", "c"), Set.of("a", "b", "c"), Set.of(),
        Map.of("app.pharos.test", Map.of("a", 0, "b", 0, "c", 0)), "RegionDown", "test", true, 0, 0, 1, 1, "c1");
    assertThat(ControlState.initial(TestConfigs.threeRegions()).apply(zero, 1, 3).accepted()).isFalse();
  }

  @Test
  void anAbortedFailoverLeavesTrafficAsTheZoneServesItAndTheRegionFenced() {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(intent("d1", 1), 1, 3).state();
    s = s.apply(new Fenced("d1", 1, 1_005, "c1"), 1, 5).state();
    Applied a = s.apply(new Completed("d1", 0, true, "DNS provider refused the change", 1, 2_000, "c1"), 1, 7);
    assertThat(a.accepted()).isTrue();
    assertThat(a.state().out()).isEmpty();
    assertThat(a.state().weights()).isEqualTo(a.state().zone().weights());
    assertThat(a.state().modes().get("b").mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(a.state().events()).extracting(e -> e.type()).doesNotContain(EventType.VERIFIED);
    assertThat(a.state().pending()).isNull();
  }

  @Test
  void refusesAZoneWhereOneRecordWouldServeNothing() {
    Intent oneDead = new Intent("dz", IntentKind.FAILOVER, List.of("b"), Set.of("b"), Set.of("b"),
        Map.of("app.pharos.test", Map.of("a", 0, "b", 0, "c", 0), "other.pharos.test", Map.of("a", 1)), "RegionDown",
        "test", true, 0, 0, 1, 1, "c1");
    assertThat(ControlState.initial(TestConfigs.threeRegions()).apply(oneDead, 1, 3).accepted()).isFalse();
  }

  @Test
  void survivesTheJsonRoundTripUsedBySnapshots() throws Exception {
    ControlState s = ControlState.initial(TestConfigs.threeRegions()).apply(intent("d1", 2), 2, 9).state();
    assertThat(JournalCodec.decodeState(JournalCodec.encodeState(s))).isEqualTo(s);
    assertThat(JournalCodec.decode(JournalCodec.encode(intent("d1", 2)))).isEqualTo(intent("d1", 2));
  }
}
