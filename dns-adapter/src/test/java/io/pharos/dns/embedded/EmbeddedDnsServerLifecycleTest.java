package io.pharos.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.TestZones;
import io.pharos.dns.ZoneSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Type;

@ExtendWith(VertxExtension.class)
class EmbeddedDnsServerLifecycleTest {
  private final DnsConfig dns = TestZones.pharosTest();
  private final List<NameServer> nameServers = List.of(new NameServer("ns1.pharos.test", "127.0.0.1"));

  @Test
  void startTwiceFailsAndStopIsIdempotent(Vertx vertx, VertxTestContext ctx) {
    var server = new EmbeddedDnsServer(vertx, dns, InMemoryZoneStore.fromConfig(dns)::current,
        DnsServerSettings.loopback(nameServers));
    server.start()
        .compose(v -> server.start().transform(ar -> {
          ctx.verify(() -> assertThat(ar.cause()).hasMessageContaining("already started"));
          return server.stop();
        }))
        .compose(v -> server.stop())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(server.stop()).isSameAs(server.stop());
          ctx.completeNow();
        })));
  }

  @Test
  void stopBeforeStartSucceeds(Vertx vertx, VertxTestContext ctx) {
    var server = new EmbeddedDnsServer(vertx, dns, InMemoryZoneStore.fromConfig(dns)::current,
        DnsServerSettings.loopback(nameServers));
    server.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTakenTcpPortFailsStartWithTheAddress(Vertx vertx, VertxTestContext ctx) throws IOException {
    ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    HostPort tcp = new HostPort("127.0.0.1", taken.getLocalPort());
    var server = new EmbeddedDnsServer(vertx, dns, InMemoryZoneStore.fromConfig(dns)::current,
        new DnsServerSettings(new HostPort("127.0.0.1", 0), Optional.of(tcp), nameServers));
    server.start().onComplete(ar -> {
      closeQuietly(taken);
      ctx.verify(() -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause()).hasMessageContaining("TCP on " + tcp).hasMessageContaining("free the port");
        assertThat(server.udpPort()).isEqualTo(-1);
      });
      server.stop().onComplete(ctx.succeedingThenComplete());
    });
  }

  @Test
  void zoneMistakesAreRefusedAtConstruction(Vertx vertx) {
    DnsConfig cnameAtApex = new DnsConfig("embedded", "pharos.test", List.of(
        new RecordConfig("pharos.test", "CNAME", 30, Map.of("a", List.of("x.example.net")), Map.of("a", 1))));
    assertThatThrownBy(() -> new EmbeddedDnsServer(vertx, cnameAtApex, () -> null, DnsServerSettings.loopback(nameServers)))
        .hasMessageContaining("CNAME at the zone apex");

    List<NameServer> clash = List.of(new NameServer(TestZones.APP, "127.0.0.1"));
    assertThatThrownBy(() -> new EmbeddedDnsServer(vertx, dns, () -> null, DnsServerSettings.loopback(clash)))
        .hasMessageContaining("also a name server's name");

    assertThatThrownBy(() -> DnsServerSettings.loopback(List.of())).hasMessageContaining("at least one name server");
  }

  /** The whole embedded path: provider.apply commits, the server answers the new weights. */
  @Test
  void appliedChangeIsServedOnceLive(Vertx vertx, VertxTestContext ctx) {
    InMemoryZoneStore store = InMemoryZoneStore.fromConfig(dns);
    var provider = new EmbeddedDnsProvider(dns, store, Clock.systemUTC());
    var server = new EmbeddedDnsServer(vertx, dns, store::current, DnsServerSettings.loopback(nameServers));
    server.start()
        .compose(v -> Future.fromCompletionStage(provider.read()))
        .compose(actual -> apply(provider, actual))
        .compose(result -> Future.fromCompletionStage(provider.awaitLive(result, Duration.ofSeconds(5))))
        .compose(v -> vertx.executeBlocking(() -> new DnsQueries(server.udpPort()).udp(TestZones.APP, Type.A)))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertThat(DnsQueries.addresses(response)).doesNotContain("127.0.0.20").contains("127.0.0.10");
          provider.close();
          server.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  private static Future<ApplyResult> apply(EmbeddedDnsProvider provider, ZoneSnapshot actual) {
    var plan = provider.plan(TestZones.with(actual.weights(), TestZones.APP, "b", 0), actual);
    return Future.fromCompletionStage(provider.apply(plan, new FencingToken(1, 3)));
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
