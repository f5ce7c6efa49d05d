package io.pharos.dns.embedded;

import static io.pharos.dns.TestZones.APP;
import static io.pharos.dns.embedded.DnsQueries.addresses;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.TestZones;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Answers of the embedded server, asked over the wire with dnsjava's resolver. */
@ExtendWith(VertxExtension.class)
class EmbeddedDnsServerTest {
  private final DnsConfig dns = TestZones.pharosTest();
  private final InMemoryZoneStore store = InMemoryZoneStore.fromConfig(dns);
  private EmbeddedDnsServer server;
  private DnsQueries ask;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    server = new EmbeddedDnsServer(vertx, dns, store::current, DnsServerSettings.loopback(List.of(
        new NameServer("ns1.pharos.test", "127.0.0.1"), new NameServer("ns2.pharos.test", "127.0.0.2"))));
    server.start().onComplete(ctx.succeeding(v -> {
      ask = new DnsQueries(server.udpPort());
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    server.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void udpAndTcpShareOnePort() {
    assertThat(server.udpPort()).isPositive().isEqualTo(server.tcpPort());
  }

  @Test
  void weightedRecordAnswersEveryTargetOfEveryRegionAboveZero() {
    Message response = ask.udp(APP, Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(addresses(response)).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20", "127.0.0.30");
    assertThat(response.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
  }

  @Test
  void aaaaRecordAnswersItsAddresses() {
    Message response = ask.udp("v6.pharos.test", Type.AAAA);

    assertThat(response.getSection(Section.ANSWER)).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(AAAARecord.class));
  }

  @Test
  void answerMovesWhenANewerTokenIsCommitted() {
    store.commit(TestZones.with(store.current().weights(), APP, "b", 0), new FencingToken(1, 5)).join();

    assertThat(addresses(ask.udp(APP, Type.A))).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.30");
    assertThat(soa(ask.udp(TestZones.ZONE, Type.SOA)).getSerial()).isEqualTo(2);
  }

  @Test
  void aStaleCommitLeavesTheAnswerAlone() {
    store.commit(TestZones.with(store.current().weights(), APP, "b", 0), new FencingToken(2, 5)).join();

    assertThat(store.commit(TestZones.with(store.current().weights(), APP, "b", 30), new FencingToken(1, 9)))
        .isCompletedExceptionally();
    assertThat(addresses(ask.udp(APP, Type.A))).doesNotContain("127.0.0.20");
  }

  @Test
  void apexServesSoaWithTheZoneSerial() {
    Message response = ask.udp(TestZones.ZONE, Type.SOA);

    SOARecord soa = soa(response);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(soa.getHost().toString()).isEqualTo("ns1.pharos.test.");
    assertThat(soa.getAdmin().toString()).isEqualTo("hostmaster.pharos.test.");
    assertThat(soa.getSerial()).isEqualTo(1);
    assertThat(soa.getMinimum()).isEqualTo(5);
  }

  @Test
  void apexServesOneNsPerNameServerWithGlue() {
    Message response = ask.udp(TestZones.ZONE, Type.NS);

    assertThat(response.getSection(Section.ANSWER)).map(r -> ((NSRecord) r).getTarget().toString())
        .containsExactly("ns1.pharos.test.", "ns2.pharos.test.");
    assertThat(response.getSection(Section.ADDITIONAL)).filteredOn(ARecord.class::isInstance)
        .map(r -> r.getName() + " " + ((ARecord) r).getAddress().getHostAddress())
        .containsExactly("ns1.pharos.test. 127.0.0.1", "ns2.pharos.test. 127.0.0.2");
    assertThat(addresses(ask.udp("ns2.pharos.test", Type.A))).containsExactly("127.0.0.2");
  }

  @Test
  void existingNameWithoutThatTypeIsNodataWithSoa() {
    for (Message response : List.of(ask.udp(APP, Type.AAAA), ask.udp("x.pharos.test", Type.A))) {
      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
      assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
      assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    }
  }

  @Test
  void missingNameUnderTheZoneIsNxdomainWithSoa() {
    Message response = ask.udp("nope.pharos.test", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(server.counters().answers("NXDOMAIN")).isEqualTo(1);
  }

  @Test
  void nameOutsideTheZoneIsRefused() {
    Message response = ask.udp("example.com", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void cnameAnswersTheHeaviestRegionWithTiesByRegionName() {
    assertThat(cnameTarget(ask.udp("www.pharos.test", Type.A))).isEqualTo("app-a.example.net.");

    store.commit(TestZones.with(store.current().weights(), "www.pharos.test", "a", 0), new FencingToken(1, 1)).join();

    assertThat(cnameTarget(ask.udp("www.pharos.test", Type.AAAA))).isEqualTo("app-b.example.net.");
  }

  @Test
  void cnameInsideTheZoneIsFollowed() {
    Message response = ask.udp("alias.pharos.test", Type.A);

    assertThat(cnameTarget(response)).isEqualTo("app.pharos.test.");
    assertThat(addresses(response)).hasSize(4);
  }

  @Test
  void tcpQueryGetsTheSameAnswer() {
    Message response = ask.tcp(APP, Type.A);

    assertThat(addresses(response)).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20", "127.0.0.30");
    assertThat(server.counters().tcpQueries()).isEqualTo(1);
  }

  @Test
  void anAnswerTooBigForPlainUdpIsTruncatedAndCompleteOverTcp() {
    Message udp = ask.plainUdpKeepingTruncation(TestZones.BIG, Type.A);
    Message tcp = ask.tcp(TestZones.BIG, Type.A);

    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getSection(Section.ANSWER)).hasSizeLessThan(TestZones.BIG_TARGETS);
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(addresses(tcp)).hasSize(TestZones.BIG_TARGETS);
    assertThat(server.counters().truncated()).isEqualTo(1);
  }

  @Test
  void ednsPayloadSizeIsHonoured() {
    Message big = ask.ednsUdp(TestZones.BIG, Type.A, 4096);
    Message small = ask.ednsUdp(TestZones.BIG, Type.A, 512);

    assertThat(big.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(addresses(big)).hasSize(TestZones.BIG_TARGETS);
    assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(small.getOPT()).isNotNull();
  }

  @Test
  void resolverRetriesATruncatedAnswerOverTcp() {
    Message response = ask.sendWithoutEdns(DnsQueries.query(TestZones.BIG, Type.A));

    assertThat(addresses(response)).hasSize(TestZones.BIG_TARGETS);
    assertThat(server.counters().tcpQueries()).isEqualTo(1);
  }

  @Test
  void optRecordIsEchoedOnlyWhenTheQueryHasOne() {
    Message withEdns = ask.udp(APP, Type.A);
    Message without = ask.plainUdpKeepingTruncation(APP, Type.A);

    assertThat(withEdns.getOPT()).isNotNull();
    assertThat(withEdns.getOPT().getPayloadSize()).isEqualTo(QueryResponder.ADVERTISED_UDP_PAYLOAD);
    assertThat(without.getOPT()).isNull();
  }

  @Test
  void aRepeatedQueryIsAnsweredUnderItsOwnIdAndItsOwnCase() throws Exception {
    byte[] first = raw("app.pharos.test.", Type.A, 0x1111);
    byte[] again = raw("app.pharos.test.", Type.A, 0x2222);
    byte[] mixedCase = raw("APP.Pharos.TEST.", Type.A, 0x3333);

    byte[] a1 = exchange(first);
    byte[] a2 = exchange(again);
    byte[] a3 = exchange(mixedCase);

    // the second came from the answers kept: the same bytes but for the ID it was asked with
    assertThat(new Message(a1).getHeader().getID()).isEqualTo(0x1111);
    assertThat(new Message(a2).getHeader().getID()).isEqualTo(0x2222);
    assertThat(java.util.Arrays.copyOfRange(a2, 2, a2.length)).isEqualTo(java.util.Arrays.copyOfRange(a1, 2, a1.length));
    // a resolver's 0x20 case is echoed as asked, never served from another query's answer
    Message m3 = new Message(a3);
    assertThat(m3.getHeader().getID()).isEqualTo(0x3333);
    assertThat(m3.getQuestion().getName().toString()).isEqualTo("APP.Pharos.TEST.");
    assertThat(addresses(m3)).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.20", "127.0.0.30");
    // each counted as asked and answered
    assertThat(server.counters().queries()).isEqualTo(3);
    assertThat(server.counters().answers("NOERROR")).isEqualTo(3);
  }

  @Test
  void aKeptAnswerIsNotServedOnceANewZoneIsCommitted() throws Exception {
    byte[] query = raw("app.pharos.test.", Type.A, 0x4444);
    assertThat(addresses(new Message(exchange(query)))).contains("127.0.0.20");

    store.commit(TestZones.with(store.current().weights(), APP, "b", 0), new FencingToken(1, 5)).join();

    assertThat(addresses(new Message(exchange(query)))).containsExactly("127.0.0.10", "127.0.0.11", "127.0.0.30");
  }

  @Test
  void anOversizedDatagramIsReadInPartAndAnsweredAndTheSocketServesOn() throws Exception {
    // bigger than the server reads of one datagram (UdpChannels.MAX_QUERY_DATAGRAM): what is read
    // does not parse, so FORMERR under the query's ID; the next query is answered as usual
    Message answer = new Message(exchange(DnsQueries.oversized(UdpChannels.MAX_QUERY_DATAGRAM + 2_000, 0x1234)));
    assertThat(answer.getHeader().getID()).isEqualTo(0x1234);
    assertThat(answer.getRcode()).isEqualTo(org.xbill.DNS.Rcode.FORMERR);
    assertThat(addresses(ask.udp(APP, Type.A))).contains("127.0.0.20");
  }

  private static byte[] raw(String name, int type, int id) throws Exception {
    Message q = Message.newQuery(Record.newRecord(org.xbill.DNS.Name.fromString(name), type, org.xbill.DNS.DClass.IN));
    q.getHeader().setID(id);
    return q.toWire();
  }

  /** One query over UDP from a socket of its own; the answer's bytes. */
  private byte[] exchange(byte[] query) {
    return ask.exchange(query);
  }

  private static SOARecord soa(Message response) {
    Record r = response.getSection(Section.ANSWER).get(0);
    assertThat(r).isInstanceOf(SOARecord.class);
    return (SOARecord) r;
  }

  private static String cnameTarget(Message response) {
    Record first = response.getSection(Section.ANSWER).get(0);
    assertThat(first).isInstanceOf(CNAMERecord.class);
    assertThat(first.getTTL()).isEqualTo(60);
    return ((CNAMERecord) first).getTarget().toString();
  }
}
