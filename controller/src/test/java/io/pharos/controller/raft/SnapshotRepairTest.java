package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import io.pharos.testkit.config.TestConfigs;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the journal snapshots, against files and peers each test sets up. */
class SnapshotRepairTest {
  @TempDir
  Path group;
  final ErrorCounter errors = new ControllerMetrics("c1").errors();
  final byte[] state = JournalCodec.encodeState(ControlState.initial(TestConfigs.threeRegions()));
  final List<ControllerPeer> others = List.of(TestPeers.at("c2", 7002), TestPeers.at("c3", 7003));
  final List<String> asked = new ArrayList<>();

  @Test
  void aSnapshotIsWrittenWithItsMd5AndEveryKindOfDamageIsFound() throws Exception {
    SnapshotFiles.Snapshot s = snapshot(2, 40);
    assertThat(SnapshotFiles.problem(s)).isNull();
    Files.write(s.file(), "{\"truncated\":".getBytes());
    assertThat(SnapshotFiles.problem(s)).contains("did not match stored MD5 checksum");
    SnapshotFiles.Snapshot noMd5 = snapshot(2, 50);
    Files.delete(noMd5.file().resolveSibling("snapshot.2_50.md5"));
    assertThat(SnapshotFiles.problem(noMd5)).isEqualTo("its MD5 file is missing");
    assertThat(SnapshotFiles.list(group.resolve("sm"))).extracting(SnapshotFiles.Snapshot::index).containsExactly(50L,
        40L);
  }

  @Test
  void nothingIsDoneWhenTheLatestSnapshotIsGood() throws Exception {
    snapshot(2, 40);
    SnapshotRepair.check(group, "c1", others, this::neverAsked, errors);
    assertThat(asked).isEmpty();
    assertThat(Files.exists(group.resolve("sm/snapshot.2_40"))).isTrue();
  }

  @Test
  void aLostSnapshotIsMovedAsideAndTheOwnLogReplaysFromTheOlderOne() throws Exception {
    snapshot(2, 40);
    Files.write(snapshot(2, 50).file(), new byte[0]);
    segment("log_0-60");
    SnapshotRepair.check(group, "c1", others, this::neverAsked, errors);
    assertThat(asked).isEmpty();
    assertThat(group.resolve("sm/snapshot.2_50.corrupt")).exists();
    assertThat(group.resolve("sm/snapshot.2_50.md5.corrupt")).exists();
    assertThat(SnapshotFiles.list(group.resolve("sm"))).extracting(SnapshotFiles.Snapshot::index).containsExactly(40L);
    assertThat(errors.counted("raft.snapshot-unreadable")).isEqualTo(1);
  }

  @Test
  void whenTheLogWasPurgedPastWhatIsLeftAPeerRecentEnoughGivesItsState() throws Exception {
    Files.write(snapshot(2, 50).file(), new byte[0]);
    segment("log_51-70");
    segment("log_inprogress_71");
    SnapshotRepair.check(group, "c1", others, peer -> {
      asked.add(peer.id());
      if (peer.id().equals("c2")) {
        return new SnapshotRepair.PeerState(2, 30, state);
      }
      return new SnapshotRepair.PeerState(3, 80, state);
    }, errors);
    assertThat(asked).containsExactly("c2", "c3");
    SnapshotFiles.Snapshot fetched = SnapshotFiles.list(group.resolve("sm")).get(0);
    assertThat(fetched.term()).isEqualTo(3);
    assertThat(fetched.index()).isEqualTo(80);
    assertThat(SnapshotFiles.problem(fetched)).isNull();
    // a state past the whole log covers everything this controller acknowledged: the log is moved aside
    assertThat(new LocalLog(group).start()).isEmpty();
    try (var aside = Files.list(group)) {
      assertThat(aside.filter(d -> d.getFileName().toString().startsWith("log-replaced-")).toList()).hasSize(1);
    }
  }

  @Test
  void withoutAPeerThatCanHelpTheStartStopsSayingWhatToDo() throws Exception {
    Files.write(snapshot(2, 50).file(), new byte[0]);
    segment("log_51-70");
    assertThatThrownBy(() -> SnapshotRepair.check(group, "c1", others, peer -> {
      throw new ConnectException("refused");
    }, errors)).isInstanceOf(RaftStartException.class)
        .hasMessageContaining("controller c1 lost its journal snapshot (index 50) and its log no longer holds the"
            + " entries before index 51")
        .hasMessageContaining("Replacing a controller's storage");
    assertThat(errors.counted("raft.snapshot-repair")).isEqualTo(2);
  }

  private SnapshotRepair.PeerState neverAsked(ControllerPeer peer) throws IOException {
    asked.add(peer.id());
    throw new IOException("not expected to be asked");
  }

  private SnapshotFiles.Snapshot snapshot(long term, long index) throws IOException {
    Path sm = Files.createDirectories(group.resolve("sm"));
    Path f = sm.resolve("snapshot." + term + "_" + index);
    SnapshotFiles.writeDurably(f.toFile(), state);
    return new SnapshotFiles.Snapshot(f, term, index);
  }

  private void segment(String name) throws IOException {
    Files.write(Files.createDirectories(group.resolve("current")).resolve(name), new byte[] {1});
  }
}
