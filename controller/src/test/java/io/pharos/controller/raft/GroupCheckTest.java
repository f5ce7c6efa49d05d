package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.Test;

/** The start-up check of the running group, against peers that answer what each test says. */
class GroupCheckTest {
  final List<ControllerPeer> peers = List.of(TestPeers.at("c1", 7001), TestPeers.at("c2", 7002),
      TestPeers.at("c3", 7003));
  final ControllersConfig controllers = new ControllersConfig("g", peers, "data", Duration.ofMillis(300),
      Duration.ofMillis(600));
  final RaftGroupId ours = RaftSettings.groupId("g");
  final ErrorCounter errors = new ControllerMetrics("c1").errors();
  final List<String> asked = new ArrayList<>();

  private Map<String, String> running(List<ControllerPeer> members) {
    Map<String, String> m = new TreeMap<>();
    members.forEach(p -> m.put(p.id(), p.raft().toString()));
    return m;
  }

  private void check(GroupCheck.Peers answers) {
    GroupCheck.refuseIfRunningGroupDiffers(controllers, "c1", ours, p -> {
      asked.add(p.id());
      return answers.ask(p);
    }, errors);
  }

  @Test
  void theSameGroupWithTheSameMembersIsJoinedAfterOneAnswer() {
    check(p -> new GroupCheck.Answer(List.of(ours), running(peers)));
    assertThat(asked).containsExactly("c2");
  }

  @Test
  void unreachablePeersAreCountedAndAPeerServingNothingYetIsSkipped() {
    check(p -> {
      if (p.id().equals("c2")) {
        throw new ConnectException("refused");
      }
      return new GroupCheck.Answer(List.of(), Map.of());
    });
    assertThat(asked).containsExactly("c2", "c3");
    assertThat(errors.counted("raft.group-check")).isEqualTo(1);
  }

  @Test
  void aPeerServingAnotherGroupStopsTheStartNamingIt() {
    RaftGroupId other = RaftSettings.groupId("another");
    assertThatThrownBy(() -> check(p -> new GroupCheck.Answer(List.of(other), Map.of())))
        .isInstanceOf(RaftStartException.class)
        .hasMessageContaining("peer c2 at 127.0.0.1:7002 serves Raft group(s) [" + other + "]")
        .hasMessageContaining("not this config's group 'g'");
  }

  @Test
  void aRunningGroupWithOtherMembersStopsTheStartNamingTheDifference() {
    List<ControllerPeer> actual = List.of(TestPeers.at("c1", 7001), TestPeers.at("c2", 7002), TestPeers.at("c9", 7009));
    assertThatThrownBy(() -> check(p -> new GroupCheck.Answer(List.of(ours), running(actual))))
        .isInstanceOf(RaftStartException.class)
        .hasMessageContaining("configured with a different peer set than the running group (asked c2)")
        .hasMessageContaining("c3 (127.0.0.1:7003) is configured here but not in the group")
        .hasMessageContaining("c9 (127.0.0.1:7009) is in the group but not configured here");
  }

  @Test
  void aPeerThatFailsOddlyIsTreatedAsUnreachable() {
    check(p -> {
      throw new IllegalStateException("half-started");
    });
    assertThat(asked).containsExactly("c2", "c3");
    assertThat(errors.counted("raft.group-check")).isEqualTo(2);
  }

  @Test
  void anIoErrorIsNeverFatal() throws IOException {
    check(p -> {
      throw new IOException("timeout");
    });
    assertThat(errors.counted("raft.group-check")).isEqualTo(2);
  }

  @Test
  void aPeerThatRefusesThisControllersCertificateStopsTheStart() {
    assertThatThrownBy(() -> check(p -> {
      throw new GroupCheck.TlsRefused("Received fatal alert: certificate_unknown", null);
    })).isInstanceOf(RaftStartException.class)
        .hasMessageContaining("peer c2 at 127.0.0.1:7002 and controller c1 did not accept each other's certificate"
            + " (Received fatal alert: certificate_unknown)")
        .hasMessageContaining("add it with --join and a membership change");
    assertThat(GroupCheck.tlsFailure(new IOException("x", new RuntimeException(
        new javax.net.ssl.SSLHandshakeException("alert"))))).hasMessage("alert");
    assertThat(GroupCheck.tlsFailure(new ConnectException("refused"))).isNull();
  }
}
