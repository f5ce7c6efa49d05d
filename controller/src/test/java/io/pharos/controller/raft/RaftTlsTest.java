package io.pharos.controller.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.journal.Leadership;
import io.pharos.core.journal.Proposal;
import io.pharos.testkit.tls.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft traffic between controllers over mutual TLS; a controller with a foreign CA kept out; which
 * certificates name a controller of the group; a controller's own certificate checked at start.
 */
class RaftTlsTest {
  @TempDir
  Path dir;
  TestGroup group;

  @AfterEach
  void stop() {
    if (group != null) {
      group.close();
    }
  }

  @Test
  void controllersCommitOverMutualTlsAndAForeignCertificateIsKeptOut() throws Exception {
    group = new TestGroup(dir.resolve("data"));
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    TestPki.Authority foreign = TestPki.authority("test-only-someone-else");
    List<ControllerPeer> peers = TestPeers.onFreePorts("t1", "t2", "t3");
    for (ControllerPeer p : peers.subList(0, 2)) {
      group.start(TestGroup.config("tls-group", peers, tls(ca, p, dir.resolve("tls-" + p.id()))), p);
    }
    assertThat(group.started.get(0).transport()).isEqualTo("mutual TLS");
    RaftJournal leader = group.leader();
    Proposal p = leader.propose(TestGroup.alert(leader, "over TLS")).get();
    assertThat(p.accepted()).isTrue();
    // a controller with another CA's certificate: the running ones refuse it at the handshake, so it
    // stops at start (new storage asks the group first; RaftIntruderTest shows a client kept out)
    ControllersConfig foreignCfg = TestGroup.config("tls-group", peers, tls(foreign, peers.get(2),
        dir.resolve("tls-t3")));
    assertThatThrownBy(() -> group.start(foreignCfg, peers.get(2))).isInstanceOf(RaftStartException.class)
        .hasMessageContaining("did not accept each other's certificate");
    // with a certificate of the group's CA it is a member like the others
    RaftJournal third = group.start(TestGroup.config("tls-group", peers, tls(ca, peers.get(2),
        dir.resolve("tls-t3-fixed"))), peers.get(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> third.lastAppliedIndex() >= p.index());
    assertThat(group.started.get(0).role()).isIn(Leadership.Role.LEADER, Leadership.Role.FOLLOWER);
  }

  /** Writes {@code p}'s certificate (CN = its id, SAN = its Raft host), key and the CA under {@code d}. */
  static ControllersConfig.Tls tls(TestPki.Authority ca, ControllerPeer p, Path d) {
    TestPki.PemFiles f = ca.issue(p.id(), p.raft().host()).write(d, p.id());
    return new ControllersConfig.Tls(f.cert().toString(), f.key().toString(),
        ca.writeCertificate(d.resolve("ca.crt")).toString());
  }

  @Test
  void aCertificateNamesAControllerByItsIdAndItsRaftHost() throws Exception {
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    PeerIdentities peers = new PeerIdentities(List.of(peer("c1", "10.0.1.5"), peer("c2", "ctl-2.example.com")));
    assertThat(PeerTrustManager.identify(ca.issue("c1", "10.0.1.5").certificate(), peers)).isEqualTo("c1");
    assertThat(PeerTrustManager.identify(ca.issue("c2", "CTL-2.example.com").certificate(), peers)).isEqualTo("c2");
    assertThatThrownBy(() -> PeerTrustManager.identify(ca.issue("intruder", "10.0.1.5").certificate(), peers))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("'CN=intruder' does not name a controller of this group (known: c1, c2)");
    assertThatThrownBy(() -> PeerTrustManager.identify(ca.issue("c1", "10.0.1.6", "c1").certificate(), peers))
        .hasMessageContaining("certificate of controller c1 does not name its Raft host 10.0.1.5 among its subject"
            + " alternative names [10.0.1.6, c1]");
    // a name is not resolved: the SAN must be what the config says
    assertThatThrownBy(() -> PeerTrustManager.identify(ca.issue("c2", "10.0.2.5").certificate(), peers))
        .hasMessageContaining("does not name its Raft host ctl-2.example.com");
    // a controller a membership change is adding is trusted from then on
    peers.allow(List.of(peer("c4", "10.0.4.5")));
    assertThat(PeerTrustManager.identify(ca.issue("c4", "10.0.4.5").certificate(), peers)).isEqualTo("c4");
  }

  @Test
  void theTrustManagerRefusesAnotherCaAndCountsEachRefusal() throws Exception {
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    ControllerPeer c1 = peer("c1", "127.0.0.1");
    PeerIdentities peers = new PeerIdentities(List.of(c1));
    List<CertificateException> refused = new ArrayList<>();
    var config = RaftTls.config(tls(ca, c1, dir), c1, peers, refused::add);
    PeerTrustManager trust = (PeerTrustManager) config.getTrustManager().getTrustManager();
    trust.checkClientTrusted(new java.security.cert.X509Certificate[] {ca.issue("c1", "127.0.0.1").certificate()},
        "EC");
    var foreign = TestPki.authority("test-only-other").issue("c1", "127.0.0.1").certificate();
    assertThatThrownBy(() -> trust.checkServerTrusted(new java.security.cert.X509Certificate[] {foreign}, "EC"))
        .hasMessageContaining("'CN=c1' is not signed by the controllers' CA");
    var stranger = ca.issue("stranger", "127.0.0.1").certificate();
    assertThatThrownBy(() -> trust.checkClientTrusted(new java.security.cert.X509Certificate[] {stranger}, "EC"))
        .hasMessageContaining("does not name a controller of this group");
    assertThatThrownBy(() -> trust.checkClientTrusted(new java.security.cert.X509Certificate[0], "EC"))
        .hasMessageContaining("no certificate presented");
    assertThat(refused).hasSize(3);
  }

  @Test
  void aControllersOwnCertificateIsCheckedAtStart() throws Exception {
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    ControllerPeer c1 = peer("c1", "127.0.0.1");
    ControllerPeer c2 = peer("c2", "127.0.0.2");
    PeerIdentities peers = new PeerIdentities(List.of(c1, c2));
    ControllersConfig.Tls ok = tls(ca, c1, dir.resolve("c1"));
    ControllersConfig.Tls c2s = tls(ca, c2, dir.resolve("c2"));
    assertThat(RaftTls.config(ok, c1, peers, e -> { }).getMtlsEnabled()).isTrue();
    assertThatThrownBy(() -> RaftTls.config(c2s, c1, peers, e -> { }))
        .isInstanceOf(RaftStartException.class)
        .hasMessageContaining("is controller c2's certificate, not c1's");
    assertThatThrownBy(() -> RaftTls.config(new ControllersConfig.Tls(ok.certFile(), c2s.keyFile(), ok.caFile()), c1,
        peers, e -> { })).hasMessageContaining("controllers.tls.keyFile: " + c2s.keyFile() + " does not belong to the"
            + " certificate");
    Path foreignCa = TestPki.authority("test-only-other").writeCertificate(dir.resolve("other-ca.crt"));
    assertThatThrownBy(() -> RaftTls.config(new ControllersConfig.Tls(ok.certFile(), ok.keyFile(),
        foreignCa.toString()), c1, peers, e -> { })).hasMessageContaining("is not signed by a CA of"
            + " controllers.tls.caFile");
    Path sec1 = Files.writeString(dir.resolve("sec1.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
        + "-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> RaftTls.config(new ControllersConfig.Tls(ok.certFile(), sec1.toString(), ok.caFile()), c1,
        peers, e -> { })).hasMessageContaining("is not an unencrypted PKCS#8 PEM key")
            .hasMessageNotContaining("AAAA");
    assertThatThrownBy(() -> RaftTls.config(new ControllersConfig.Tls(dir.resolve("nope.crt").toString(), "k", "c"), c1,
        peers, e -> { })).hasMessageContaining("controllers.tls.certFile: cannot read");
    ControllerPeer elsewhere = peer("c1", "127.0.0.9");
    assertThatThrownBy(() -> RaftTls.config(ok, elsewhere, new PeerIdentities(List.of(elsewhere)), e -> { }))
        .hasMessageContaining("does not name its Raft host 127.0.0.9");
  }

  @Test
  void plaintextOffLoopbackIsRefusedUnlessAskedFor() {
    List<ControllerPeer> off = List.of(peer("c1", "10.0.1.5"));
    assertThatThrownBy(() -> RaftTls.Transport.of(new ControllersConfig("g", off, "data", Duration.ofMillis(300),
        Duration.ofMillis(600)))).isInstanceOf(RaftStartException.class)
        .hasMessageContaining("controllers.tls is required");
    assertThat(RaftTls.Transport.of(new ControllersConfig("g", off, "data", Duration.ofMillis(300),
        Duration.ofMillis(600), null, true))).isEqualTo(RaftTls.Transport.INSECURE_PLAINTEXT);
    assertThat(RaftTls.Transport.of(new ControllersConfig("g", List.of(peer("c1", "127.0.0.1")), "data",
        Duration.ofMillis(300), Duration.ofMillis(600)))).isEqualTo(RaftTls.Transport.LOOPBACK_PLAINTEXT);
  }

  private static ControllerPeer peer(String id, String host) {
    HostPort raft = new HostPort(host, 7600);
    return new ControllerPeer(id, "a", raft, new HostPort(host, 5701), new HostPort(host, 8600), new HostPort(host, 53));
  }
}
