package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Format versions of journal entries, the group check before a newer one is proposed, and one replica's apply. */
class JournalFormatTest {
  static final AlertRaised ALERT = new AlertRaised("Test", "INFO", null, "hello", false, 3, 1_000, "c1");

  @Test
  void everyEntryCarriesItsVersionFirstAndDecodesBack() throws Exception {
    String json = new String(JournalCodec.encode(ALERT), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"v\":1,\"type\":\"alert\"");
    assertThat(JournalCodec.decode(JournalCodec.encode(ALERT))).isEqualTo(ALERT);
    assertThat(new String(JournalCodec.encode(ALERT, 3), StandardCharsets.UTF_8)).startsWith("{\"v\":3,");
  }

  @Test
  void anEntryWithoutAVersionIsReadAsVersionOne() throws Exception {
    String legacy = new String(JournalCodec.encode(ALERT), StandardCharsets.UTF_8).replace("\"v\":1,", "");
    assertThat(JournalCodec.decode(legacy.getBytes(StandardCharsets.UTF_8))).isEqualTo(ALERT);
  }

  @Test
  void aNewerVersionIsRefusedWithWhatToDo() {
    int newer = JournalCodec.FORMAT_VERSION + 1;
    byte[] future = JournalCodec.encode(ALERT, newer);
    assertThatThrownBy(() -> JournalCodec.decode(future))
        .isInstanceOfSatisfying(UnsupportedVersionException.class, e -> {
          assertThat(e.version()).isEqualTo(newer);
          assertThat(e.supported()).isEqualTo(JournalCodec.FORMAT_VERSION);
        })
        .hasMessageContaining("version " + newer + " is newer than this controller reads (up to "
            + JournalCodec.FORMAT_VERSION + ")")
        .hasMessageContaining("upgrade");
  }

  @Test
  void anUnknownFieldAtASupportedVersionIsRefused() {
    String extra = new String(JournalCodec.encode(ALERT), StandardCharsets.UTF_8).replace("\"v\":1,",
        "\"v\":1,\"colour\":\"red\",");
    assertThatThrownBy(() -> JournalCodec.decode(extra.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("colour");
    String unknownType = new String(JournalCodec.encode(ALERT), StandardCharsets.UTF_8).replace("\"alert\"",
        "\"teleport\"");
    assertThatThrownBy(() -> JournalCodec.decode(unknownType.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("teleport");
  }

  @Test
  void aMalformedVersionIsRefused() {
    for (String v : List.of("0", "\"1\"", "1.5", "-3")) {
      String bad = new String(JournalCodec.encode(ALERT), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":" + v);
      assertThatThrownBy(() -> JournalCodec.decode(bad.getBytes(StandardCharsets.UTF_8))).as(v)
          .hasMessageContaining("format version must be a whole number");
    }
    assertThatThrownBy(() -> JournalCodec.encode(ALERT, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theGroupReadsANewerVersionOnlyWhenEveryMemberSaidSo() {
    Set<String> members = Set.of("c1", "c2", "c3");
    assertThat(GroupFormat.lowest(members, Map.of())).isEqualTo(1);
    assertThat(GroupFormat.lowest(members, Map.of("c1", 2, "c2", 2))).as("c3 unknown").isEqualTo(1);
    assertThat(GroupFormat.lowest(members, Map.of("c1", 2, "c2", 3, "c3", 2))).isEqualTo(2);
    GroupFormat.check(1, members, Map.of());
    GroupFormat.check(2, members, Map.of("c1", 2, "c2", 2, "c3", 2, "gone", 1));
    assertThatThrownBy(() -> GroupFormat.check(2, members, Map.of("c1", 2, "c2", 1)))
        .isInstanceOf(GroupFormat.VersionNotReadableException.class)
        .hasMessageContaining("version 2 is not read by every controller")
        .hasMessageContaining("c2 (reads up to 1)")
        .hasMessageContaining("c3 (version unknown, assumed 1)")
        .hasMessageNotContaining("c1");
  }

  @Test
  void aReplicaAppliesAtTheEntrysOwnTermStopsAtWhatThrowsAndTellsItsListeners() throws Exception {
    List<RuntimeException> failures = new ArrayList<>();
    JournalReplica replica = new JournalReplica(ControlState.initial(TestConfigs.threeRegions()), 1, failures::add);
    List<AppliedEntry> seen = new ArrayList<>();
    replica.onApplied(seen::add);
    replica.onApplied(a -> {
      throw new IllegalStateException("a broken listener");
    });
    AppliedEntry ok = replica.apply(replica.read(JournalCodec.encode(ALERT)), 3, 7);
    assertThat(ok.result().accepted()).isTrue();
    assertThat(Proposal.of(ok)).isEqualTo(new Proposal(true, "", 3, 7));
    assertThat(seen).isEmpty();
    replica.announce(ok);
    assertThat(seen).containsExactly(ok);
    assertThat(failures).hasSize(1);
    AppliedEntry stale = replica.apply(ALERT, 4, 8);
    assertThat(stale.result().accepted()).isFalse();
    assertThat(Proposal.of(stale).detail()).contains("proposed in term 3 but appended in term 4");
    // an entry applying throws on (here: an intent without regions) is not skipped: the replica must
    // stop (issue 15, defect 1); the leader's vetting refuses it before it is appended
    ControlState before = replica.state();
    Intent broken = new Intent("d9", IntentKind.FAILOVER, null, null, null, null, "RegionDown", "x", true, 0, 0, 3, 1,
        "c1");
    assertThatThrownBy(() -> replica.vet(broken)).isInstanceOf(UnappliableEntryException.class)
        .hasMessageContaining("applying Intent would fail");
    assertThatThrownBy(() -> replica.apply(broken, 3, 9)).isInstanceOf(UnappliableEntryException.class)
        .hasMessageStartingWith("cannot apply the committed journal entry at 3:9: applying Intent failed");
    assertThat(replica.state()).isSameAs(before);
    replica.vet(new AlertRaised("Test", "INFO", null, "stale but well-formed", false, 1, 0, "c1"));
    int newer = JournalCodec.FORMAT_VERSION + 1;
    assertThatThrownBy(() -> replica.read(JournalCodec.encode(ALERT, newer))).isInstanceOf(
        UnsupportedVersionException.class);
    assertThat(new JournalReplica(replica.state(), newer, failures::add).read(JournalCodec.encode(ALERT, newer)))
        .isEqualTo(ALERT);
  }
}
