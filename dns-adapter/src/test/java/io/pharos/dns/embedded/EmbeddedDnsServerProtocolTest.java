package io.pharos.dns.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.dns.TestZones;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Packets a well-behaved resolver would not send, and what the server does with them. */
@ExtendWith(VertxExtension.class)
class EmbeddedDnsServerProtocolTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private EmbeddedDnsServer server;
  private DnsQueries ask;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    var dns = TestZones.pharosTest();
    server = new EmbeddedDnsServer(vertx, dns, InMemoryZoneStore.fromConfig(dns)::current,
        DnsServerSettings.loopback(List.of(new NameServer("ns1.pharos.test", "127.0.0.1"))));
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
  void packetWithoutAReadableHeaderIsDroppedAndCounted() {
    sendRaw(new byte[] {1, 2, 3, 4, 5});

    await().atMost(DEADLINE).until(() -> server.counters().droppedMalformed() == 1);
    assertThat(server.counters().queries()).isEqualTo(1);
    assertThat(server.counters().answersByRcode()).isEmpty();
  }

  @Test
  void unparsablePacketWithAReadableHeaderGetsFormerr() throws IOException {
    byte[] header = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    byte[] packet = Arrays.copyOf(header, header.length + 3);
    packet[12] = 9; // a label of 9 bytes, but only 2 follow

    Message response = new Message(exchangeRaw(packet));

    assertThat(response.getHeader().getID()).isEqualTo(0x1234);
    assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(server.counters().answers("FORMERR")).isEqualTo(1);
  }

  @Test
  void responsesAreNeverAnswered() {
    Message notAQuery = DnsQueries.query(TestZones.APP, Type.A);
    notAQuery.getHeader().setFlag(Flags.QR);

    sendRaw(notAQuery.toWire());

    await().atMost(DEADLINE).until(() -> server.counters().droppedMalformed() == 1);
  }

  @Test
  void unsupportedOpcodeIsNotimp() {
    Message notify = DnsQueries.query(TestZones.ZONE, Type.SOA);
    notify.getHeader().setOpcode(Opcode.NOTIFY);

    assertThat(ask.send(notify).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void unknownEdnsVersionIsBadvers() {
    Message query = DnsQueries.query(TestZones.APP, Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);

    Message response = ask.send(query);

    assertThat(response.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(response.getOPT()).isNotNull();
    assertThat(server.counters().answers("BADVERS")).isEqualTo(1);
  }

  @Test
  void zoneTransfersAreRefused() {
    // dnsjava's resolver turns a refused transfer into an exception carrying the rcode
    assertThatThrownBy(() -> ask.tcp(TestZones.ZONE, Type.AXFR)).hasRootCauseMessage("REFUSED");
    assertThat(server.counters().answers("REFUSED")).isEqualTo(1);
  }

  @Test
  void queriesAndAnswersAreCountedByRcode() {
    ask.udp(TestZones.APP, Type.A);
    ask.udp("nope.pharos.test", Type.A);
    ask.udp("example.com", Type.A);

    DnsServerStats stats = server.counters();
    assertThat(stats.queries()).isEqualTo(3);
    assertThat(stats.answersByRcode()).containsEntry("NOERROR", 1L).containsEntry("NXDOMAIN", 1L)
        .containsEntry("REFUSED", 1L);
  }

  @Test
  void pipelinedTcpQueriesAreAnsweredInOrderOnOneConnection() throws IOException {
    Message first = DnsQueries.query(TestZones.APP, Type.A);
    Message second = DnsQueries.query("nope.pharos.test", Type.A);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    for (Message m : List.of(first, second)) {
      byte[] wire = m.toWire();
      both.write(wire.length >>> 8);
      both.write(wire.length & 0xFF);
      both.write(wire);
    }

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.getOutputStream().write(both.toByteArray()); // one write: the frames arrive together
      DataInputStream in = new DataInputStream(socket.getInputStream());
      Message a = readFrame(in);
      Message b = readFrame(in);

      assertThat(a.getHeader().getID()).isEqualTo(first.getHeader().getID());
      assertThat(DnsQueries.addresses(a)).hasSize(4);
      assertThat(b.getHeader().getID()).isEqualTo(second.getHeader().getID());
      assertThat(b.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
  }

  @Test
  void emptyTcpFrameClosesTheConnectionAndIsCounted() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.getOutputStream().write(new byte[] {0, 0});

      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(DEADLINE).until(() -> server.counters().droppedMalformed() == 1);
  }

  private static Message readFrame(DataInputStream in) throws IOException {
    byte[] wire = new byte[in.readUnsignedShort()];
    in.readFully(wire);
    return new Message(wire);
  }

  private void sendRaw(byte[] packet) {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), server.udpPort()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private byte[] exchangeRaw(byte[] packet) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), server.udpPort()));
      byte[] buffer = new byte[Header.LENGTH + 512];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return Arrays.copyOf(buffer, reply.getLength());
    }
  }
}
