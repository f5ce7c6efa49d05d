package io.pharos.controller.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raft traffic between controllers over mutual TLS, and a controller with a foreign CA kept out. */
class RaftTlsTest {
  @TempDir
  Path dir;
  final List<RaftQuorum> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(RaftQuorum::close);
  }

  @Test
  void controllersCommitOverMutualTlsAndAForeignCertificateIsKeptOut() throws Exception {
    var ca = TestCertificates.ca("pharos-test-ca");
    var foreign = TestCertificates.ca("someone-else");
    List<ControllerPeer> peers = new ArrayList<>();
    for (String id : List.of("t1", "t2", "t3")) {
      peers.add(new ControllerPeer(id, "a", HostPort.parse("127.0.0.1:" + Ports.free()), HostPort.parse("127.0.0.1:1"),
          HostPort.parse("127.0.0.1:2"), HostPort.parse("127.0.0.1:3")));
    }
    ControlState initial = ControlState.initial(TestConfigs.threeRegions());
    for (ControllerPeer p : peers) {
      var files = TestCertificates.node(p.id().equals("t3") ? foreign : ca, p.id(), dir.resolve("tls"));
      var cfg = new ControllersConfig("tls-group", peers, "data", Duration.ofMillis(300), Duration.ofMillis(600),
          new ControllersConfig.Tls(files.cert().toString(), files.key().toString(), files.ca().toString()));
      RaftQuorum q = new RaftQuorum(cfg, p, dir.resolve("data"), new PharosStateMachine(initial));
      q.start();
      started.add(q);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> started.stream().anyMatch(RaftQuorum::isActingLeader));
    RaftQuorum leader = started.stream().filter(RaftQuorum::isActingLeader).findFirst().orElseThrow();
    assertThat(leader.toString()).isNotNull();
    Proposal p = leader.propose(new AlertRaised("Test", "INFO", null, "over TLS", false, leader.term(),
        System.currentTimeMillis(), "t")).get();
    assertThat(p.accepted()).isTrue();
    RaftQuorum outsider = started.get(2);
    assertThat(outsider.isLeader()).isFalse();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> outsider.lastAppliedIndex() < p.index());
  }

  @Test
  void aMissingCertificateFileIsAClearError() {
    var tls = new ControllersConfig.Tls(dir.resolve("nope.crt").toString(), "k", "c");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RaftQuorum.tlsConfig(tls))
        .isInstanceOf(QuorumStartException.class)
        .hasMessageContaining("controllers.tls.certFile: cannot read");
  }
}
