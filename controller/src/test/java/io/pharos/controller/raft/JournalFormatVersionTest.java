package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.GroupFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  final List<RaftJournal> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(RaftJournal::close);
  }

  @Test
  void aMemberOnAnOlderFormatKeepsANewerEntryOutUntilItIsNoLongerAMember() throws Exception {
    List<ControllerPeer> peers = TestPeers.onFreePorts("v1", "v2", "v3");
    ControllersConfig cfg = new ControllersConfig("format-group", peers, "data", Duration.ofMillis(300),
        Duration.ofMillis(600));
    ControlState initial = ControlState.initial(TestConfigs.threeRegions());
    Map<String, Integer> reads = Map.of("v1", 2, "v2", 2, "v3", 1);
    for (ControllerPeer p : peers.subList(0, 2)) {
      start(cfg, p, initial, reads.get(p.id()));
    }
    // v3 (the older build) joins once v1 or v2 leads, so that the leader is a newer build
    RaftJournal leader = await().atMost(Duration.ofSeconds(30)).until(
        () -> started.stream().filter(RaftJournal::isActingLeader).findFirst().orElse(null), l -> l != null);
    RaftJournal older = start(cfg, peers.get(2), initial, 1);
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
    for (RaftJournal j : started.subList(0, 2)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> j.state().timeline().stream()
          .anyMatch(e -> e.detail().endsWith("newer format")));
    }
  }

  private RaftJournal start(ControllersConfig cfg, ControllerPeer p, ControlState initial, int reads) {
    RaftJournal j = new RaftJournal(cfg, p, dir.resolve("data"), initial, reads, new ControllerMetrics(p.id()).errors());
    started.add(j);
    j.start();
    return j;
  }

  private static AlertRaised alert(RaftJournal leader, String message) {
    return new AlertRaised("Test", "INFO", null, message, false, leader.term(), System.currentTimeMillis(), "test");
  }
}
