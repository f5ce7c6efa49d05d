package io.pharos.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.DnsServerConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.dns.TestZones;
import io.pharos.testkit.attack.DnsFlood;
import io.pharos.testkit.net.Cmd;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The DNS abuse drill (docs/drills.md): the embedded name server as an attacker on the internet
 * meets it, asked with {@code dig} and flooded over UDP from loopback, bounded in count and time.
 * Answers stay within 1,232 bytes over UDP (bigger ones truncated for TCP), ANY is answered
 * minimally (RFC 8482), a flood from one subnet is rate limited while another subnet's real
 * queries are answered, a flood of distinct queries keeps at most {@link AnswerCache#MAX_ENTRIES}
 * rendered answers, and TCP connections are limited in number and idle time.
 */
class EmbeddedDnsAbuseTest {
  private static final String HUGE = "huge.pharos.test";
  private static final int HUGE_TARGETS = 150; // ~2.5 KB of A records: more than the advertised 1,232
  private static final int FLOOD = 3_000;
  private final Vertx vertx = Vertx.vertx();
  private EmbeddedDnsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().await();
    }
    vertx.close().await();
  }

  private static DnsConfig zone() {
    DnsConfig base = TestZones.pharosTest();
    List<String> many = new ArrayList<>();
    for (int i = 1; i <= HUGE_TARGETS; i++) {
      many.add("10.1." + (i / 250) + "." + (i % 250 + 1));
    }
    List<RecordConfig> records = new ArrayList<>(base.records());
    records.add(new RecordConfig(HUGE, "A", 60, Map.of("a", many), Map.of("a", 1)));
    return new DnsConfig("embedded", base.zone(), records, base.settings());
  }

  private int start(DnsServerConfig limits) {
    DnsConfig dns = zone();
    InMemoryZoneStore store = InMemoryZoneStore.fromConfig(dns);
    server = new EmbeddedDnsServer(vertx, dns, store::current, DnsServerSettings.loopback(List.of(
        new NameServer("ns1.pharos.test", "127.0.0.1"))).withLimits(limits));
    server.start().await();
    return server.udpPort();
  }

  /** dig's answer: its output, the size it received, its flags and status. */
  private record Dig(String out, int size, String flags, String status) {
    boolean flag(String f) {
      return (" " + flags + " ").contains(" " + f + " ");
    }
  }

  private static Dig dig(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+tries=1",
        "+time=2"));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(cmd, null, Duration.ofSeconds(20));
    assertThat(r.exit()).as("dig (dnsutils; ./test installs it): " + r.err() + r.out()).isZero();
    return new Dig(r.out(), group(r.out(), "MSG SIZE\\s+rcvd: (\\d+)").map(Integer::parseInt).orElse(-1),
        group(r.out(), ";; flags: ([a-z ]*);").orElse(""), group(r.out(), "status: (\\w+)").orElse(""));
  }

  private static java.util.Optional<String> group(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  @Test
  void anyIsAnsweredWithOneSmallRecord() {
    int port = start(DnsServerConfig.DEFAULTS);
    Dig any = dig(port, "ANY", TestZones.APP, "+bufsize=4096", "+notcp", "+ignore");
    assertThat(any.status()).isEqualTo("NOERROR");
    assertThat(any.out()).contains("HINFO").contains("\"RFC8482\"").doesNotContain("127.0.0.10");
    assertThat(any.size()).isBetween(1, 200);
    Dig apex = dig(port, "ANY", TestZones.ZONE, "+bufsize=4096", "+notcp", "+ignore");
    assertThat(apex.out()).contains("HINFO").doesNotContain("SOA\t");
    assertThat(server.counters().anyMinimal()).isEqualTo(2);
  }

  @Test
  void udpAnswersStayWithinTheAdvertisedSizeAndTheRestComesOverTcp() {
    int port = start(DnsServerConfig.DEFAULTS);
    Dig udp = dig(port, "A", HUGE, "+bufsize=4096", "+notcp", "+ignore");
    assertThat(udp.size()).as("asked with a 4,096-byte buffer").isBetween(1, QueryResponder.ADVERTISED_UDP_PAYLOAD);
    assertThat(udp.flag("tc")).isTrue();
    assertThat(udp.out()).contains("udp: 1232"); // the OPT record advertises what is sent

    Dig retried = dig(port, "A", HUGE, "+bufsize=4096"); // dig retries a truncated answer over TCP
    assertThat(retried.flag("tc")).isFalse();
    assertThat(retried.size()).isGreaterThan(QueryResponder.ADVERTISED_UDP_PAYLOAD);
    assertThat(retried.out().lines().filter(l -> l.startsWith(HUGE + ".") && l.contains("\tA\t")).count())
        .isEqualTo(HUGE_TARGETS);
  }

  @Test
  void aUdpFloodFromOneSubnetIsRateLimitedWhileAnotherSubnetIsAnswered() throws Exception {
    int port = start(DnsServerConfig.DEFAULTS); // 50 answers/s, bursts of 100, every 2nd limited one slips
    DnsFlood.Result flood = DnsFlood.udp(new InetSocketAddress("127.0.0.1", port), InetAddress.getByName("127.0.0.1"),
        TestZones.APP, FLOOD, Duration.ofSeconds(10), () -> {
          // a real resolver in another subnet (127.0.1.0/24), asking in the middle of the flood
          Dig real = dig(port, "-b", "127.0.1.1", "A", TestZones.APP);
          assertThat(real.status()).isEqualTo("NOERROR");
          assertThat(real.flag("tc")).isFalse();
          assertThat(real.out()).contains("127.0.0.10");
        });
    double seconds = flood.took().toMillis() / 1000.0;
    DnsServerStats stats = server.counters();
    assertThat(flood.sent()).isEqualTo(FLOOD);
    // the bucket: 100 at once, then 50 a second; every second query over it gets an empty TC answer
    assertThat(flood.full()).as("full answers to the flooding subnet in %.1f s", seconds)
        .isLessThanOrEqualTo((int) (100 + 50 * seconds) + 5);
    assertThat(stats.rateLimited()).isGreaterThan(FLOOD / 3);
    assertThat(stats.slipped()).isGreaterThan(FLOOD / 4);
    assertThat(flood.truncated()).isPositive();
    assertThat(flood.largest()).as("no answer to the flood bigger than a full answer for the name").isLessThan(200);
    // the flood is over: its subnet gets answers again once the bucket refills
    await().atMost(Duration.ofSeconds(5)).until(() -> dig(port, "A", TestZones.APP).status().equals("NOERROR"));
  }

  @Test
  void aFloodOfDistinctQueriesKeepsNoMoreAnswersThanTheBoundAndRealQueriesAreStillRight() throws Exception {
    int port = start(new DnsServerConfig(DnsServerConfig.RateLimit.OFF, DnsServerConfig.Tcp.DEFAULTS));
    // names the zone does not have, names outside it, and the zone's own name in every case: each a
    // query no earlier one repeats, so each answer is rendered and offered to the kept answers
    int distinct = 3 * AnswerCache.MAX_ENTRIES + 100;
    String[] cased = new String[1];
    DnsFlood.Result flood = DnsFlood.udpDistinct(new InetSocketAddress("127.0.0.1", port),
        InetAddress.getByName("127.0.0.1"), i -> switch (i % 3) {
          case 0 -> "n" + i + "." + TestZones.ZONE;
          case 1 -> "n" + i + ".elsewhere.example";
          default -> cased[0] = mixedCase(TestZones.APP, i / 3);
        }, distinct, Duration.ofSeconds(30), () -> {
          assertThat(server.answersKept()).isLessThanOrEqualTo(AnswerCache.MAX_ENTRIES);
          // a real resolver meanwhile (it retries: a datagram may be lost on a busy loopback, not refused)
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Dig real = dig(port, "A", TestZones.APP);
            assertThat(real.status()).isEqualTo("NOERROR");
            assertThat(real.out()).contains("127.0.0.10");
          });
        });
    assertThat(flood.sent()).isEqualTo(distinct);
    // every query that reached the server was answered; the kernel may drop datagrams while the server is
    // descheduled on a busy machine (the flood waits at most 1 ms for an answer before its next query)
    await().atMost(Duration.ofSeconds(10)).until(() -> answered(server.counters()) == server.counters().queries());
    DnsServerStats stats = server.counters();
    assertThat(stats.droppedMalformed() + stats.rateLimited() + stats.sendFailures()).isZero();
    assertThat(stats.queries()).as("queries that reached the server").isGreaterThan(distinct * 9L / 10);
    assertThat(flood.answers()).as("answers back to the flood").isGreaterThan(distinct * 9 / 10);
    assertThat(server.answersKept()).as("answers kept after %d distinct queries", stats.queries())
        .isPositive().isLessThanOrEqualTo(AnswerCache.MAX_ENTRIES);
    // the flood's last 0x20 spelling asked again with the flood's own bytes (so the answer kept for it
    // is what comes back) under a new ID: that ID, the name as asked, the zone's address
    byte[] again = DnsFlood.query(cased[0], DnsFlood.TYPE_A, 0x1234);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Message answer = askUdp(port, again);
      assertThat(answer.getHeader().getID()).isEqualTo(0x1234);
      assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(answer.getQuestion().getName().toString()).isEqualTo(cased[0] + ".");
      assertThat(answer.getSection(Section.ANSWER)).extracting(r -> r.rdataToString()).contains("127.0.0.10");
    });
  }

  /** One query over UDP from loopback, its answer parsed (fails after 2 s without one). */
  private static Message askUdp(int port, byte[] query) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(2_000);
      socket.send(new DatagramPacket(query, query.length, new InetSocketAddress("127.0.0.1", port)));
      DatagramPacket p = new DatagramPacket(new byte[1_500], 1_500);
      socket.receive(p);
      return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }
  }

  private static long answered(DnsServerStats stats) {
    return stats.answersByRcode().values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@code name} with its k-th letter in upper case when bit k of {@code bits} is set (DNS 0x20). */
  private static String mixedCase(String name, int bits) {
    StringBuilder b = new StringBuilder(name.length());
    int letter = 0;
    for (char c : name.toCharArray()) {
      b.append(Character.isLetter(c) && ((bits >>> letter++) & 1) == 1 ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }

  @Test
  void tcpConnectionsAreLimitedInNumberAndIdleTime() throws Exception {
    int port = start(new DnsServerConfig(DnsServerConfig.RateLimit.DEFAULTS,
        new DnsServerConfig.Tcp(4, Duration.ofSeconds(2))));
    List<Socket> held = new ArrayList<>();
    try {
      held.addAll(DnsFlood.idleTcp(new InetSocketAddress("127.0.0.1", port), 4));
      await().atMost(Duration.ofSeconds(5)).until(() -> server.tcpConnections() == 4);
      try (Socket fifth = new Socket(InetAddress.getLoopbackAddress(), port)) {
        fifth.setSoTimeout(5_000);
        assertThat(readUntilClosed(fifth.getInputStream())).as("closed at once, nothing sent").isEqualTo(-1);
      }
      assertThat(server.counters().tcpRefused()).isEqualTo(1);
      // the four idle ones are closed after 2 s without a query
      for (Socket s : held) {
        s.setSoTimeout(5_000);
        assertThat(readUntilClosed(s.getInputStream())).isEqualTo(-1);
      }
      // and a real query over TCP goes through again
      assertThat(dig(port, "+tcp", "A", TestZones.APP).status()).isEqualTo("NOERROR");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static int readUntilClosed(InputStream in) throws IOException {
    return in.read();
  }
}
