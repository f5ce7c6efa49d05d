package io.pharos.controller.raft;

import static io.pharos.controller.raft.TestGroup.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.GroupFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's check of the members' journal format versions on a real three-member Raft group:
 * members say over Raft which version they read, and an entry newer than one of them reads is
 * refused before anything is committed.
 */
class JournalFormatVersionTest {
  @TempDir
  Path dir;
  TestGroup group;

  @AfterEach
  void stop() {
    group.close();
  }

  @Test
  void aMemberOnAnOlderFormatKeepsANewerEntryOutUntilItIsNoLongerAMember() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    List<ControllerPeer> peers = TestPeers.onFreePorts("v1", "v2", "v3");
    ControllersConfig cfg = TestGroup.config("format-group", peers, null);
    for (ControllerPeer p : peers.subList(0, 2)) {
      group.start(cfg, p, 2);
    }
    // v3 (the older build) joins once v1 or v2 leads, so that the leader is a newer build
    RaftJournal leader = group.leader();
    RaftJournal older = group.start(cfg, peers.get(2), 1);
    assertThat(leader.propose(alert(leader, "base format")).get().accepted()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> older.lastAppliedIndex() >= leader.lastAppliedIndex());

    long applied = leader.lastAppliedIndex();
    assertThatThrownBy(() -> leader.propose(alert(leader, "newer format"), 2).get())
        .hasCauseInstanceOf(GroupFormat.VersionNotReadableException.class)
        .hasMessageContaining("v3 (reads up to 1)")
        .as("v1 and v2 said they read 2").hasMessageNotContaining("v1 (").hasMessageNotContaining("v2 (");
    assertThat(leader.lastAppliedIndex()).as("nothing committed").isEqualTo(applied);

    leader.setMembers(peers.subList(0, 2));
    var p = leader.propose(alert(leader, "newer format"), 2).get();
    assertThat(p.accepted()).isTrue();
    for (RaftJournal j : group.started.subList(0, 2)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> j.state().timeline().stream()
          .anyMatch(e -> e.detail().endsWith("newer format")));
    }
  }

  @Test
  void aMemberThatSaidItReadsTheNewerFormatDoesNotHoldItBackWhileItIsDown() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    List<ControllerPeer> peers = TestPeers.onFreePorts("w1", "w2", "w3");
    ControllersConfig cfg = TestGroup.config("format-down-group", peers, null);
    peers.forEach(p -> group.start(cfg, p, 2));
    RaftJournal leader = group.leader();
    assertThat(leader.propose(alert(leader, "while all are up"), 2).get().accepted()).isTrue();
    RaftJournal down = group.started.stream().filter(j -> j != leader).findFirst().orElseThrow();
    down.close();
    var p = leader.propose(alert(leader, "with one member down"), 2).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(p.accepted()).as("the stopped member said it reads version 2 before it stopped").isTrue();
  }
}
