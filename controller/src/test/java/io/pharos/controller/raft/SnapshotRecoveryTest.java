package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.journal.JournalCodec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, defect 5, on a real three-member group: a controller whose journal snapshot was lost
 * (truncated to nothing while its MD5 file survived, as a power loss before the fsyncs could leave
 * it) starts again and recovers - from a peer when its log was purged past what is left, from its
 * own log otherwise. Before the fix it did not start ("the Raft storage ... cannot be used: MD5
 * mismatch").
 */
class SnapshotRecoveryTest {
  @TempDir
  Path dir;
  TestGroup group;
  ControllersConfig cfg;

  @AfterEach
  void stop() {
    group.close();
  }

  /** A snapshot every 10 entries; with small segments the log is purged up to each snapshot. */
  static Consumer<RaftProperties> frequentSnapshots(boolean smallSegments) {
    return p -> {
      RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 10);
      if (smallSegments) {
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("16KB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf("16KB"));
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
      }
    };
  }

  @Test
  void aControllerWhoseSnapshotIsLostAndWhoseLogWasPurgedRecoversFromAPeer() throws Exception {
    RaftJournal follower = lose(frequentSnapshots(true));
    assertThat(new LocalLog(groupDir(follower)).start().orElseThrow())
        .as("its log no longer starts at the beginning").isGreaterThan(50);
    recovered(follower, frequentSnapshots(true));
  }

  @Test
  void aControllerWhoseLatestSnapshotIsLostReplaysItsOwnLog() throws Exception {
    RaftJournal follower = lose(frequentSnapshots(false));
    recovered(follower, frequentSnapshots(false));
  }

  /** Starts the group, commits enough for snapshots, stops a follower and truncates its snapshots. */
  private RaftJournal lose(Consumer<RaftProperties> tuning) throws Exception {
    group = new TestGroup(dir.resolve("data"));
    List<ControllerPeer> peers = TestPeers.onFreePorts("s1", "s2", "s3");
    cfg = TestGroup.config("snapshot-group", peers, null);
    for (ControllerPeer p : peers) {
      start(p, tuning);
    }
    RaftJournal leader = group.leader();
    for (int i = 0; i < 150; i++) {
      assertThat(leader.propose(TestGroup.alert(leader, "entry " + i)).get().accepted()).isTrue();
    }
    RaftJournal follower = group.started.stream().filter(j -> j != leader).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> follower.lastAppliedIndex() >= leader.lastAppliedIndex());
    follower.close();
    group.started.remove(follower);
    List<SnapshotFiles.Snapshot> snapshots = SnapshotFiles.list(groupDir(follower).resolve("sm"));
    assertThat(snapshots).as("snapshots were taken").isNotEmpty();
    for (SnapshotFiles.Snapshot s : snapshots.subList(0, 1)) {
      try (FileChannel c = FileChannel.open(s.file(), StandardOpenOption.WRITE)) {
        c.truncate(0);
      }
    }
    if (new LocalLog(groupDir(follower)).start().orElse(0) > 1) {
      // with the log purged, an older snapshot cannot help either: lose them all
      for (SnapshotFiles.Snapshot s : snapshots) {
        Files.write(s.file(), new byte[0]);
      }
    }
    RaftJournal l = group.leader();
    for (int i = 0; i < 5; i++) {
      assertThat(l.propose(TestGroup.alert(l, "while it was down " + i)).get().accepted()).isTrue();
    }
    return follower;
  }

  private void recovered(RaftJournal lost, Consumer<RaftProperties> tuning) {
    ControllerPeer self = cfg.peers().stream().filter(p -> lost.storageDir().getName().equals(p.id())).findFirst()
        .orElseThrow();
    RaftJournal again = start(self, tuning);
    RaftJournal leader = group.leader();
    await().atMost(Duration.ofSeconds(30)).until(() -> again.lastAppliedIndex() >= leader.lastAppliedIndex()
        && again.state().timeline().equals(leader.state().timeline()));
    assertThat(again.state().timeline()).anyMatch(e -> e.detail().endsWith("while it was down 4"));
    assertThat(again.halted()).isEmpty();
    assertThat(again.closed()).isFalse();
  }

  private Path groupDir(RaftJournal j) {
    return j.storageDir().toPath().resolve(RaftSettings.groupId(cfg.group()).getUuid().toString());
  }

  private RaftJournal start(ControllerPeer p, Consumer<RaftProperties> tuning) {
    return group.start(cfg, p, JournalCodec.FORMAT_VERSION, tuning, new ControllerMetrics(p.id()).errors());
  }
}
