package io.pharos.dns.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/** dnsjava's resolver pointed at a test server on 127.0.0.1; blocking, so only off the event loop. */
final class DnsQueries {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final int port;

  DnsQueries(int port) {
    this.port = port;
  }

  /** UDP with dnsjava's default EDNS (payload 1280); a truncated answer is retried over TCP. */
  Message udp(String name, int type) {
    return send(resolver(), query(name, type));
  }

  /** UDP without EDNS, keeping a truncated answer as it came. */
  Message plainUdpKeepingTruncation(String name, int type) {
    SimpleResolver r = resolver();
    r.setEDNS(-1, 0, 0, List.of());
    r.setIgnoreTruncation(true);
    return send(r, query(name, type));
  }

  /** UDP with EDNS and the given payload size, keeping a truncated answer as it came. */
  Message ednsUdp(String name, int type, int payload) {
    SimpleResolver r = resolver();
    r.setEDNS(0, payload, 0, List.of());
    r.setIgnoreTruncation(true);
    return send(r, query(name, type));
  }

  Message tcp(String name, int type) {
    SimpleResolver r = resolver();
    r.setTCP(true);
    return send(r, query(name, type));
  }

  Message send(Message query) {
    return send(resolver(), query);
  }

  Message sendWithoutEdns(Message query) {
    SimpleResolver r = resolver();
    r.setEDNS(-1, 0, 0, List.of());
    return send(r, query);
  }

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
  }

  static Name name(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static List<String> addresses(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .sorted()
        .collect(Collectors.toList());
  }

  /** One datagram over UDP from a socket of its own; the answer's bytes. */
  byte[] exchange(byte[] datagram) {
    try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.send(new java.net.DatagramPacket(datagram, datagram.length, java.net.InetAddress.getLoopbackAddress(),
          port));
      java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[4096], 4096);
      socket.receive(answer);
      return java.util.Arrays.copyOf(answer.getData(), answer.getLength());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A datagram of {@code size} bytes (more than the server reads of one): a query's header (ID
   * {@code id}, one question) and then 0xFF bytes, which do not parse as a name.
   */
  static byte[] oversized(int size, int id) {
    byte[] d = new byte[size];
    java.util.Arrays.fill(d, (byte) 0xFF);
    byte[] header = {(byte) (id >>> 8), (byte) id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    System.arraycopy(header, 0, d, 0, header.length);
    return d;
  }

  private SimpleResolver resolver() {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(TIMEOUT);
    return r;
  }

  private static Message send(SimpleResolver resolver, Message query) {
    try {
      return resolver.send(query);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
