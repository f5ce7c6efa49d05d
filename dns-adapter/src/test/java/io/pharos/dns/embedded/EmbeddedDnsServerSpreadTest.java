package io.pharos.dns.embedded;

import static io.pharos.dns.TestZones.APP;
import static io.pharos.dns.embedded.DnsQueries.addresses;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.DnsServerConfig;
import io.pharos.dns.TestZones;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * With Vert.x's native transport (what a controller runs on Linux x86-64), UDP is served by one
 * socket per core on one port; every socket answers, and stopping closes them all.
 */
class EmbeddedDnsServerSpreadTest {
  private final DnsConfig dns = TestZones.pharosTest();
  private final InMemoryZoneStore store = InMemoryZoneStore.fromConfig(dns);
  private Vertx vertx;
  private EmbeddedDnsServer server;

  @BeforeEach
  void start() throws Exception {
    // the build ships the epoll transport for Linux x86-64 only; elsewhere Vert.x runs on NIO
    Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64"), "native transport is shipped for Linux x86-64");
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertThat(vertx.isNativeTransportEnabled()).as("native transport: %s", vertx.unavailableNativeTransportCause())
        .isTrue();
    // loopback exempt from rate limiting, as the benchmark runs it: a burst is answered whole
    DnsServerConfig loopbackExempt = new DnsServerConfig(new DnsServerConfig.RateLimit(50, 100, 2, 24, 56,
        List.of("127.0.0.0/8")), DnsServerConfig.Tcp.DEFAULTS);
    server = new EmbeddedDnsServer(vertx, dns, store::current, DnsServerSettings.loopback(List.of(
        new NameServer("ns1.pharos.test", "127.0.0.1"), new NameServer("ns2.pharos.test", "127.0.0.2")))
        .withLimits(loopbackExempt));
    server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everySocketOnThePortAnswers() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(server.udpSockets()).isEqualTo(cores);
    assertThat(server.tcpPort()).isEqualTo(server.udpPort());
    DnsQueries ask = new DnsQueries(server.udpPort());

    // each query from a socket of its own: the kernel spreads source ports over the sockets
    int queries = 64;
    for (int i = 0; i < queries; i++) {
      assertThat(addresses(ask.udp(APP, Type.A))).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20",
          "127.0.0.30");
    }
    assertThat(server.counters().queries()).isEqualTo(queries);
    assertThat(server.counters().answers("NOERROR")).isEqualTo(queries);
  }

  @Test
  void aBurstFromOneSocketIsAnsweredWhole() throws Exception {
    // one socket, so one of the server's sockets: its reads take several datagrams at once
    // (recvmmsg) and their answers leave in one flush (sendmmsg); every query gets its own answer.
    // More than the rate limit's burst (100): loopback is exempt here, as in the benchmark
    int burst = 200;
    try (java.net.DatagramSocket client = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
      client.setReceiveBufferSize(1 << 20);
      client.setSoTimeout((int) DnsQueries.TIMEOUT.toMillis());
      java.net.InetSocketAddress to = new java.net.InetSocketAddress("127.0.0.1", server.udpPort());
      for (int id = 0; id < burst; id++) {
        Message q = DnsQueries.query(APP, Type.A);
        q.getHeader().setID(id);
        byte[] wire = q.toWire();
        client.send(new java.net.DatagramPacket(wire, wire.length, to));
      }
      java.util.Set<Integer> answered = new java.util.HashSet<>();
      byte[] buf = new byte[1500];
      while (answered.size() < burst) {
        java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
        client.receive(in);
        Message answer = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
        assertThat(addresses(answer)).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20", "127.0.0.30");
        assertThat(answered.add(answer.getHeader().getID())).as("answer %d once", answer.getHeader().getID()).isTrue();
      }
    }
    assertThat(server.counters().answers("NOERROR")).isEqualTo(burst);
  }

  @Test
  void anOversizedDatagramIsReadInPartAndAnswered() throws Exception {
    // recvmmsg cuts the read buffer into datagrams of MAX_QUERY_DATAGRAM bytes: a bigger one is cut
    DnsQueries ask = new DnsQueries(server.udpPort());
    Message answer = new Message(ask.exchange(DnsQueries.oversized(UdpChannels.MAX_QUERY_DATAGRAM + 2_000, 0x4321)));
    assertThat(answer.getHeader().getID()).isEqualTo(0x4321);
    assertThat(answer.getRcode()).isEqualTo(org.xbill.DNS.Rcode.FORMERR);
    assertThat(addresses(ask.udp(APP, Type.A))).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20",
        "127.0.0.30");
  }

  @Test
  void aSecondServerOnTheSamePortIsRefusedNotJoined() {
    int port = server.udpPort();
    DnsServerSettings loopback = DnsServerSettings.loopback(List.of(new NameServer("ns1.pharos.test", "127.0.0.1")));
    DnsServerSettings same = new DnsServerSettings(new io.pharos.core.config.HostPort("127.0.0.1", port),
        java.util.Optional.of(new io.pharos.core.config.HostPort("127.0.0.1", 0)), loopback.nameServers(),
        loopback.limits());
    EmbeddedDnsServer second = new EmbeddedDnsServer(vertx, dns, store::current, same);

    // with SO_REUSEPORT it could bind and take half of the queries; it must fail as a taken port did
    assertThat(second.start().toCompletionStage().toCompletableFuture())
        .failsWithin(java.time.Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("cannot listen for DNS over UDP on 127.0.0.1:" + port);
    assertThat(server.udpSockets()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void stoppingClosesEverySocketAndFreesThePort() throws Exception {
    int port = server.udpPort();
    server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(server.udpSockets()).isZero();
    // the port is free again: a plain socket (no SO_REUSEPORT) can take it
    try (java.net.DatagramSocket taken = new java.net.DatagramSocket(port, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(taken.getLocalPort()).isEqualTo(port);
    }
  }
}
