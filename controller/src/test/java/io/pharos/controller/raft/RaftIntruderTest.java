package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.JournalCodec;
import io.pharos.testkit.attack.RaftIntruder;
import io.pharos.testkit.tls.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "commit a Raft entry": an outsider on the controllers' network tries to commit a
 * journal entry on their Raft port with no certificate, with its own CA's, and with one of the
 * controllers' CA that names no controller. Each is refused at the TLS handshake, and nothing is
 * committed. The same client with a real controller's key gets in: the refusals are the
 * controllers', not a broken client's.
 */
class RaftIntruderTest {
  @TempDir
  Path dir;
  final List<ErrorCounter> errors = new ArrayList<>();
  TestGroup group;

  @AfterEach
  void stop() {
    group.close();
  }

  @Test
  void anOutsiderCannotCommitAJournalEntryOnTheRaftPort() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    List<ControllerPeer> peers = TestPeers.onFreePorts("r1", "r2", "r3");
    Map<String, TestPki.Issued> keys = new LinkedHashMap<>();
    Map<String, HostPort> addresses = new LinkedHashMap<>();
    for (ControllerPeer p : peers) {
      Path d = dir.resolve("tls-" + p.id());
      TestPki.Issued issued = ca.issue(p.id(), p.raft().host());
      TestPki.PemFiles f = issued.write(d, p.id());
      keys.put(p.id(), issued);
      addresses.put(p.id(), p.raft());
      ControllersConfig cfg = TestGroup.config("intruded", peers, new ControllersConfig.Tls(f.cert().toString(),
          f.key().toString(), ca.writeCertificate(d.resolve("ca.crt")).toString()));
      ErrorCounter e = new ControllerMetrics(p.id()).errors();
      errors.add(e);
      group.start(cfg, p, JournalCodec.FORMAT_VERSION, props -> { }, e);
    }
    RaftJournal leader = group.leader();
    long applied = leader.lastAppliedIndex();

    RaftIntruder intruder = new RaftIntruder("intruded", addresses, Duration.ofSeconds(2));
    for (RaftIntruder.Attempt a : intruder.everyAttempt(ca, RaftIntruder.pauseEntry(leader.term()))) {
      assertThat(a.accepted()).as(a.how() + ": " + a.detail()).isFalse();
      assertThat(a.detail()).as(a.how()).doesNotContain("accepted");
    }
    assertThat(leader.lastAppliedIndex()).as("nothing committed").isEqualTo(applied);
    for (RaftJournal j : group.started) {
      assertThat(j.state().maintenance()).as("automation not paused").isNull();
    }
    assertThat(errors.stream().mapToDouble(e -> e.counted("raft.tls-refused")).sum())
        .as("the refused certificates are counted").isGreaterThanOrEqualTo(6);

    // the same client holding a real controller's key is let in: what the certificates protect
    RaftIntruder.Attempt withKey = intruder.withCertificate("controller r1's own key", keys.get("r1"),
        RaftIntruder.pauseEntry(leader.term()));
    assertThat(withKey.accepted()).as(withKey.detail()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.state().maintenance() != null);
  }
}
