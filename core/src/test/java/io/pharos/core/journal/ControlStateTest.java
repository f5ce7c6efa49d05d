package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
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
