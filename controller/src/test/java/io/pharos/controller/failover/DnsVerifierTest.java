package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.embedded.DnsServerSettings;
import io.pharos.dns.embedded.EmbeddedDnsServer;
import io.pharos.dns.embedded.InMemoryZoneStore;
import io.pharos.dns.embedded.NameServer;
import io.pharos.testkit.config.TestConfigs;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The verifier asks each name server where it is reached, never where it binds. */
class DnsVerifierTest {
  private final Vertx vertx = Vertx.vertx();
  private final PharosConfig config = TestConfigs.threeRegions();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private EmbeddedDnsServer serve(String host, InMemoryZoneStore zone) {
    EmbeddedDnsServer s = new EmbeddedDnsServer(vertx, config.dns(), zone::current, new DnsServerSettings(
        new HostPort(host, 0), Optional.empty(), List.of(new NameServer("ns1.pharos.test", "127.0.0.1"))));
    s.start().await();
    return s;
  }

  @Test
  void aControllerBindingEveryAddressDoesNotVerifyAChangeByAskingItself() {
    Map<String, Map<String, Integer>> failover = WeightPlan.plan(config.dns(), List.of("b")).orElseThrow();
    InMemoryZoneStore changed = InMemoryZoneStore.fromConfig(config.dns());
    changed.commit(failover, new FencingToken(1, 5)).join();
    InMemoryZoneStore stale = InMemoryZoneStore.fromConfig(config.dns());
    // this controller binds 0.0.0.0 and has the change; the other one (reached at 127.0.0.2) has not
    EmbeddedDnsServer self = serve("0.0.0.0", changed);
    EmbeddedDnsServer other = serve("127.0.0.2", stale);
    HostPort any = new HostPort("0.0.0.0", self.udpPort());
    ControllerPeer c1 = new ControllerPeer("c1", "a", new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", 2),
        new HostPort("127.0.0.1", 3), any, new HostPort("127.0.0.1", self.udpPort()));
    ControllerPeer c2 = new ControllerPeer("c2", "b", new HostPort("127.0.0.1", 5), new HostPort("127.0.0.1", 6),
        new HostPort("127.0.0.1", 7), any, new HostPort("127.0.0.2", other.udpPort()));

    // both answer: a generous timeout, so that a loaded machine cannot turn an answer into "unreachable"
    DnsVerifier.Result r = new DnsVerifier(config.dns(), List.of(c1, c2), java.time.Duration.ofSeconds(10))
        .verify(failover);

    assertThat(r.matching()).containsExactly("c1");
    assertThat(r.wrong()).containsExactly("c2");
    assertThat(r.verified()).isFalse();
    self.stop().await();
    other.stop().await();
  }
}
