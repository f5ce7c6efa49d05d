package io.pharos.controller.raft;

import static io.pharos.controller.raft.TestGroup.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.JournalCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, defect 1, on a real three-member Raft group: a committed entry one replica cannot apply
 * must stop that replica for good, never be skipped. (Ratis 3.3's StateMachineUpdater logs a
 * failed applyTransaction future and advances the applied index, so before the fix the replica
 * applied the next entries without it and drifted from the others.)
 */
class UnappliableEntryTest {
  @TempDir
  Path dir;
  TestGroup group;

  @AfterEach
  void stop() {
    group.close();
  }

  @Test
  void aReplicaThatCannotReadACommittedEntryStopsInsteadOfSkippingIt() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    List<ControllerPeer> peers = TestPeers.onFreePorts("n1", "n2", "n3");
    ControllersConfig cfg = TestGroup.config("unappliable-group", peers, null);
    group.start(cfg, peers.get(0));
    group.start(cfg, peers.get(1));
    RaftJournal leader = group.leader();
    // an older build joins as a follower; the leader (a newer build) accepts what it reads itself
    RaftJournal older = group.start(cfg, peers.get(2), JournalCodec.BASE_VERSION);
    assertThat(leader.propose(alert(leader, "before")).get().accepted()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> older.state().timeline().stream()
        .anyMatch(e -> e.detail().endsWith("before")));

    // a newer-format entry committed without the leader's group check (a bug, or a rolling upgrade
    // gone wrong): every member but the older one reads it
    try (RaftClient client = RaftClient.newBuilder().setRaftGroup(RaftSettings.group(cfg))
        .setProperties(new RaftProperties()).build()) {
      RaftClientReply r = client.io().send(Message.valueOf(ByteString.copyFrom(
          JournalCodec.encode(alert(leader, "newer format"), JournalCodec.FORMAT_VERSION))));
      assertThat(r.isSuccess()).isTrue();
    }
    assertThat(leader.propose(alert(leader, "after")).get().accepted()).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(older::closed);
    assertThat(older.halted()).hasValueSatisfying(h -> assertThat(h)
        .contains("cannot apply the committed journal entry at")
        .contains("journal entry format version " + JournalCodec.FORMAT_VERSION + " is newer than this controller"
            + " reads (up to 1)"));
    assertThat(older.state().timeline()).as("it applied nothing after the entry it could not read")
        .noneMatch(e -> e.detail().endsWith("after"));
    for (RaftJournal j : group.started.subList(0, 2)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> j.state().timeline().stream()
          .anyMatch(e -> e.detail().endsWith("after")));
      assertThat(j.halted()).isEmpty();
    }
  }
}
