package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageGuardTest {
  @TempDir
  Path dir;

  static ControllersConfig controllers(String group) {
    return new ControllersConfig(group, List.of(
        new ControllerPeer("c1", "a", HostPort.parse("127.0.0.1:1"), HostPort.parse("127.0.0.1:2"),
            HostPort.parse("127.0.0.1:3"), HostPort.parse("127.0.0.1:4"))),
        "data", Duration.ofMillis(300), Duration.ofMillis(600));
  }

  @Test
  void aNewControllerGetsAMarkerAndAnIntactOneIsRecognised() throws Exception {
    Path c1 = dir.resolve("c1");
    assertThat(StorageGuard.check(c1, "group-uuid", "c1", controllers("g"))).isEqualTo(StorageGuard.Outcome.NEW);
    assertThat(Files.readString(c1.resolve(StorageGuard.MARKER))).contains("\"id\" : \"c1\"", "\"group\" : \"g\"");
    Files.createDirectories(c1.resolve("group-uuid"));
    assertThat(StorageGuard.check(c1, "group-uuid", "c1", controllers("g"))).isEqualTo(StorageGuard.Outcome.EXISTING);
  }

  @Test
  void theActionLogAloneDoesNotMakeADirectoryForeign() throws Exception {
    Path c1 = dir.resolve("c1");
    Files.createDirectories(c1);
    Files.writeString(c1.resolve(StorageGuard.ACTION_LOG), "{}\n");
    Files.writeString(c1.resolve(StorageGuard.ACTION_LOG + ".1"), "{}\n");
    assertThat(StorageGuard.check(c1, "group-uuid", "c1", controllers("g"))).isEqualTo(StorageGuard.Outcome.NEW);
  }

  @Test
  void aLostRaftLogIsNeverRecreatedSilently() {
    Path c1 = dir.resolve("c1");
    StorageGuard.check(c1, "group-uuid", "c1", controllers("g"));
    assertThatThrownBy(() -> StorageGuard.check(c1, "group-uuid", "c1", controllers("g")))
        .isInstanceOf(RaftStartException.class)
        .hasMessageContaining("the Raft log of controller c1 is missing")
        .hasMessageContaining("replace this controller under a new id");
  }

  @Test
  void aNewControllerThatStoppedBeforeStoringAnythingIsNewAgainNextTime() throws Exception {
    Path c1 = dir.resolve("c1");
    StorageGuard.check(c1, "group-uuid", "c1", controllers("g"));
    StorageGuard.forgetNew(c1);
    assertThat(StorageGuard.check(c1, "group-uuid", "c1", controllers("g"))).isEqualTo(StorageGuard.Outcome.NEW);
    // once anything else is stored, the marker stays
    Files.createDirectories(c1.resolve("group-uuid"));
    StorageGuard.forgetNew(c1);
    assertThat(c1.resolve(StorageGuard.MARKER)).exists();
  }

  @Test
  void refusesAnotherControllersOrAForeignDirectory() throws Exception {
    Path c1 = dir.resolve("c1");
    StorageGuard.check(c1, "group-uuid", "c1", controllers("g"));
    assertThatThrownBy(() -> StorageGuard.check(c1, "group-uuid", "c1", controllers("other")))
        .hasMessageContaining("belongs to controller 'c1' of group 'g', not 'c1' of group 'other'");
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("something"), "x");
    assertThatThrownBy(() -> StorageGuard.check(foreign, "group-uuid", "c1", controllers("g")))
        .hasMessageContaining("is not empty but has no " + StorageGuard.MARKER);
  }

  @Test
  void namesEveryPeerDifference() {
    assertThat(StorageGuard.peerDifferences(Map.of("c1", "h:1", "c2", "h:2", "c4", "h:4"),
        Map.of("c1", "h:1", "c2", "h:9", "c3", "h:3")))
        .containsExactlyInAnyOrder("c2 is at h:2 here but at h:9 in the group",
            "c4 (h:4) is configured here but not in the group", "c3 (h:3) is in the group but not configured here");
  }
}
