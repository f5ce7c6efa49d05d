package io.pharos.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.TestConfigs;
import io.pharos.core.security.Ed25519;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  private static final KeyPair KEYS = Ed25519.generate();

  private static ControlState withRecords(int n) {
    ControlState s = ControlState.initial(TestConfigs.threeRegions());
    for (int i = 1; i <= n; i++) {
      Applied a = s.apply(new AuditRecorded("alice", "operator", "POST /v1/regions/b/failover", "drill " + i,
          "committed 3:" + i, 3, 1_000 + i, "c1"), 3, 10 + i);
      assertThat(a.accepted()).isTrue();
      s = a.state();
    }
    return s;
  }

  private static AuditTruncated anchor(ControlState s, long seq, KeyPair keys) {
    AuditRecord before = s.audit().records().stream().filter(r -> r.seq() == seq - 1).findFirst().orElseThrow();
    String sig = Base64.getEncoder().encodeToString(Ed25519.sign(keys.getPrivate(),
        AuditChain.anchorBytes(seq, before.hash(), 5_000, "c1")));
    return new AuditTruncated(seq, before.hash(), sig, 3, 5_000, "c1");
  }

  @Test
  void theStateMachineLinksEveryRecordToTheOneBefore() {
    ControlState s = withRecords(3);
    List<AuditRecord> rs = s.audit().records();
    assertThat(rs).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
    assertThat(rs.get(0).prev()).isEqualTo(AuditChain.GENESIS);
    assertThat(rs.get(1).prev()).isEqualTo(rs.get(0).hash());
    assertThat(rs.get(2).term()).isEqualTo(3);
    assertThat(s.audit().headSeq()).isEqualTo(3);
    assertThat(s.audit().headHash()).isEqualTo(rs.get(2).hash());
    assertThat(s.events()).as("audit records stay off the timeline").isEmpty();
    // the same log gives the same chain on every replica
    assertThat(withRecords(3).audit()).isEqualTo(s.audit());
    AuditChain.Verification v = AuditChain.verify(AuditChain.export(s.audit()), null);
    assertThat(v.problems()).isEmpty();
    assertThat(v.records()).isEqualTo(3);
    assertThat(v.head()).isEqualTo(rs.get(2).hash());
  }

  @Test
  void verifyCatchesAChangedADeletedAndAReorderedRecord() {
    List<String> lines = AuditChain.export(withRecords(5).audit());
    List<String> changed = new ArrayList<>(lines);
    changed.set(2, changed.get(2).replace("drill 3", "drill 33"));
    assertThat(AuditChain.verify(changed, null).problems()).singleElement().asString()
        .contains("line 3 (seq 3): changed after it was written");

    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(3);
    assertThat(AuditChain.verify(deleted, null).problems()).singleElement().asString()
        .contains("line 4 (seq 5): follows seq 3: records 4..4 were deleted");

    List<String> headCut = new ArrayList<>(lines);
    headCut.remove(0);
    assertThat(AuditChain.verify(headCut, null).problems()).singleElement().asString()
        .contains("starts here without a signed truncation anchor: records 1..1 were deleted");

    List<String> swapped = new ArrayList<>(lines);
    swapped.set(1, lines.get(2));
    swapped.set(2, lines.get(1));
    assertThat(AuditChain.verify(swapped, null).ok()).isFalse();

    assertThat(AuditChain.verify(List.of("{oops"), null).problems()).contains("line 1: not JSON");
  }

  @Test
  void aSignedTruncationKeepsTheChainVerifiableAndAForgedOneDoesNot() {
    ControlState s = withRecords(6);
    Applied t = s.apply(anchor(s, 4, KEYS), 3, 40);
    assertThat(t.accepted()).as(t.detail()).isTrue();
    AuditTrail trail = t.state().audit();
    assertThat(trail.records()).extracting(AuditRecord::seq).containsExactly(4L, 5L, 6L);
    assertThat(trail.headSeq()).isEqualTo(6);
    List<String> lines = AuditChain.export(trail);
    AuditChain.Verification v = AuditChain.verify(lines, KEYS.getPublic());
    assertThat(v.problems()).isEmpty();
    assertThat(v.anchored()).isTrue();
    assertThat(v.first()).isEqualTo(4);

    assertThat(AuditChain.verify(lines, null).problems()).singleElement().asString()
        .contains("give the controllers' public key");
    assertThat(AuditChain.verify(lines, Ed25519.generate().getPublic()).problems()).singleElement().asString()
        .contains("signature is not the controllers'");
    List<String> cutAfterAnchor = new ArrayList<>(lines);
    cutAfterAnchor.remove(1);
    assertThat(AuditChain.verify(cutAfterAnchor, KEYS.getPublic()).problems()).singleElement().asString()
        .contains("does not start where the anchor says");

    // an anchor that does not fit the chain is refused by the state machine
    AuditTruncated wrong = new AuditTruncated(5, "f".repeat(64), "x", 3, 5_000, "c1");
    assertThat(t.state().apply(wrong, 3, 41).accepted()).isFalse();
    AuditTruncated atFirstHeld = new AuditTruncated(4, "0".repeat(64), "x", 3, 5_000, "c1");
    assertThat(t.state().apply(atFirstHeld, 3, 41).detail()).contains("not held after the first one");
  }

  @Test
  void aBreakGlassUseSpendsTheCodeAndIsAuditedLoudly() {
    ControlState s = withRecords(1);
    BreakGlassUsed used = new BreakGlassUsed("k3x9", "ab".repeat(32), 10_000, "quorum lost", "c2", 2_000, 3, 2_500,
        "c1");
    Applied a = s.apply(used, 3, 20);
    assertThat(a.accepted()).isTrue();
    ControlState next = a.state();
    assertThat(next.breakGlass().spent()).containsEntry("k3x9", 2_000L);
    assertThat(next.breakGlass().sessions().get("ab".repeat(32)).expiresAt()).isEqualTo(10_000);
    AuditRecord r = next.audit().records().get(1);
    assertThat(r.who()).isEqualTo("breakglass:k3x9");
    assertThat(r.why()).isEqualTo("quorum lost");
    assertThat(next.events()).singleElement().satisfies(e -> assertThat(e.detail()).startsWith("CRITICAL:"));
    // seen again (two controllers cut off from each other both accepted it): accepted, and said so
    Applied again = next.apply(new BreakGlassUsed("k3x9", "cd".repeat(32), 12_000, "again", "c3", 2_100, 3, 2_600,
        "c1"), 3, 21);
    assertThat(again.state().audit().records().get(2).result()).contains("had been used before");
  }
}
