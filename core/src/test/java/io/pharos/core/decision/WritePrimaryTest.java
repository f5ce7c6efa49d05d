package io.pharos.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.Applied;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.ReadOnlySet;
import io.pharos.core.journal.WritePrimaryPromoted;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import org.junit.jupiter.api.Test;

class WritePrimaryTest {
  private static final PharosConfig CONFIG = TestConfigs.threeRegionsWith("recoverAfter: 30s",
      "recoverAfter: 30s, failback: auto, cooldown: 10s, rpo: 30s");

  @Test
  void aWritePrimaryLostToAFailoverComesBackReadOnlyUntilPromoted() {
    Sim sim = new Sim(CONFIG);
    sim.run(12_000);
    sim.killRegion("a").run(5_000);
    assertThat(sim.decisions).singleElement().satisfies(d -> assertThat(d.readOnly()).containsExactly("a"));
    sim.failing = (v, e) -> false;
    sim.run(40_000);
    assertThat(sim.decisions).hasSize(2);
    Decision back = sim.decisions.get(1);
    assertThat(back.kind()).isEqualTo(IntentKind.FAILBACK);
    assertThat(back.reason()).contains("a is the write primary: it stays read-only until promoted");
    assertThat(sim.control.out()).isEmpty();
    assertThat(sim.control.modes().get("a").mode()).as("R7: the primary waits for a person").isEqualTo(Mode.READ_ONLY);

    WritePrimaryPromoted p = WritePrimary.promote(CONFIG, sim.control, "a", ReplicationLag.of(3), false, "alice",
        "replica caught up", 1, sim.now, "c1");
    Applied a = sim.control.apply(p, 1, 1_000);
    assertThat(a.accepted()).isTrue();
    assertThat(a.state().modes().get("a").mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(a.state().modes().get("a").token()).isEqualTo(new FencingToken(1, 1_000));
  }

  @Test
  void aLostSecondaryComesBackReadWrite() {
    Sim sim = new Sim(CONFIG);
    sim.run(12_000);
    sim.killRegion("b").run(5_000);
    sim.failing = (v, e) -> false;
    sim.run(40_000);
    assertThat(sim.decisions).hasSize(2);
    assertThat(sim.control.modes().get("b").mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(sim.decisions.get(1).reason()).doesNotContain("write primary");
  }

  @Test
  void promotionIsRefusedWhileTheLagExceedsTheRpoUnlessForced() {
    ControlState s = ControlState.initial(CONFIG);
    assertThatThrownBy(() -> WritePrimary.promote(CONFIG, s, "b", ReplicationLag.of(42.5), false, "alice", "x", 1, 5,
        "c1")).isInstanceOf(ManualDecisions.Refused.class)
        .hasMessageContaining("replication lag 42.5 s exceeds the RPO of 30 s").hasMessageContaining("--force");
    assertThatThrownBy(() -> WritePrimary.promote(CONFIG, s, "b", ReplicationLag.unread("no source"), false, "alice",
        "x", 1, 5, "c1")).isInstanceOf(ManualDecisions.Refused.class).hasMessageContaining("unknown (no source)");
    WritePrimaryPromoted forced = WritePrimary.promote(CONFIG, s, "b", ReplicationLag.of(42.5), true, "alice", "x", 1,
        5, "c1");
    assertThat(forced.forced()).isTrue();
    assertThat(forced.previous()).isEqualTo("a");
    ControlState after = s.apply(forced, 1, 7).state();
    assertThat(after.promotedPrimary()).isEqualTo("b");
    assertThat(WritePrimary.of(CONFIG, after)).as("the journal overrides policy.writePrimary").isEqualTo("b");
    assertThat(after.modes().get("b").mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(after.modes().get("a").mode()).as("never two writers").isEqualTo(Mode.READ_ONLY);
    assertThat(after.modes().get("a").token()).isEqualTo(new FencingToken(1, 7));
    assertThat(after.events()).last().satisfies(e -> assertThat(e.detail()).contains("(forced)").contains("42.5"));
  }

  @Test
  void readOnlyOnAndOffCarryTheirOwnTokens() {
    ControlState s = ControlState.initial(CONFIG);
    ReadOnlySet on = WritePrimary.readOnly(CONFIG, s, "c", true, "bob", "migration", 2, 10, "c1");
    ControlState ro = s.apply(on, 2, 20).state();
    assertThat(ro.modes().get("c").mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(ro.modes().get("c").token()).isEqualTo(new FencingToken(2, 20));
    assertThatThrownBy(() -> WritePrimary.readOnly(CONFIG, ro, "c", true, "bob", "again", 2, 11, "c1"))
        .hasMessageContaining("already read-only");
    ControlState rw = ro.apply(WritePrimary.readOnly(CONFIG, ro, "c", false, "bob", "done", 2, 12, "c1"), 2, 21).state();
    assertThat(rw.modes().get("c").mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(rw.modes().get("c").token()).isEqualTo(new FencingToken(2, 21));

    ControlState primaryRo = s.apply(WritePrimary.readOnly(CONFIG, s, "a", true, "bob", "m", 2, 10, "c1"), 2, 22)
        .state();
    assertThatThrownBy(() -> WritePrimary.readOnly(CONFIG, primaryRo, "a", false, "bob", "m", 2, 13, "c1"))
        .hasMessageContaining("write primary").hasMessageContaining("pharos promote a");
    assertThatThrownBy(() -> WritePrimary.readOnly(CONFIG, s, "zz", true, "bob", "m", 2, 13, "c1"))
        .hasMessageContaining("unknown region 'zz'");
  }

  @Test
  void theJournalRefusesModesOfAFailedOverRegionAndEntriesOfAnotherTerm() {
    ControlState s = ControlState.initial(CONFIG);
    Applied stale = s.apply(new ReadOnlySet("c", true, "bob", "m", 1, 10, "c1"), 2, 20);
    assertThat(stale.accepted()).isFalse();
    ControlState out = s.apply(ManualDecisions.failover(CONFIG, s, "c", "bob", "test", 5).toIntent(2, 5, "c1"), 2, 21)
        .state();
    Applied a = out.apply(new ReadOnlySet("c", false, "bob", "m", 2, 10, "c1"), 2, 22);
    assertThat(a.accepted()).isFalse();
    assertThat(a.detail()).contains("failed over");
    assertThat(out.apply(new WritePrimaryPromoted("c", "a", 1, false, "bob", "m", 2, 10, "c1"), 2, 23).accepted())
        .isFalse();
  }

  @Test
  void theNewEntriesAreFormatVersionTwoAndRoundTrip() throws Exception {
    var p = new WritePrimaryPromoted("b", "a", 1.5, false, "alice", "x", 1, 5, "c1");
    var r = new ReadOnlySet("b", true, "alice", "x", 1, 5, "c1");
    assertThat(JournalCodec.formatVersion(p)).isEqualTo(2);
    assertThat(JournalCodec.formatVersion(r)).isEqualTo(2);
    assertThat(JournalCodec.decode(JournalCodec.encode(p))).isEqualTo(p);
    assertThat(JournalCodec.decode(JournalCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void lagSourcesAnswerANumberOrJson() {
    assertThat(ReplicationLag.parse("12.5\n", "src").seconds()).isEqualTo(12.5);
    assertThat(ReplicationLag.parse("{\"lagSeconds\": 3}", "src").seconds()).isEqualTo(3);
    assertThat(ReplicationLag.parse("{\"lag\": 3}", "src").problem()).contains("src answered neither");
    assertThat(ReplicationLag.parse("-1", "src").problem()).contains("from 0 up");
  }
}
