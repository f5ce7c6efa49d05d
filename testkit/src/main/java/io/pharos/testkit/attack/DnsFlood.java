package io.pharos.testkit.attack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What an outsider can throw at a name server with nothing but its address: a UDP flood of one
 * query or of distinct ones (bounded in count and time) counting what comes back, and idle TCP connections held open.
 * For the DNS abuse drill and the hostile-neighbour suite; it builds DNS messages itself (no
 * resolver library), as a flood tool would.
 */
public final class DnsFlood {
  /** Query types used here. */
  public static final int TYPE_A = 1;
  public static final int TYPE_ANY = 255;

  private DnsFlood() {}

  /**
   * What the flood got back.
   *
   * @param sent queries sent
   * @param answers datagrams that came back
   * @param truncated of those, with the TC flag (an empty "retry over TCP")
   * @param largest the biggest answer, in bytes
   * @param took how long the flood ran
   */
  public record Result(int sent, int answers, int truncated, int largest, Duration took) {
    /** Answers that were not truncated. */
    public int full() {
      return answers - truncated;
    }
  }

  /** A query for {@code name}/{@code type}, class IN, recursion desired, no EDNS. */
  public static byte[] query(String name, int type, int id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(id >> 8 & 0xFF);
    out.write(id & 0xFF);
    out.writeBytes(new byte[] {0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}); // RD; one question
    for (String label : name.split("\\.")) {
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
    out.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, 0, 1});
    return out.toByteArray();
  }

  /**
   * Sends {@code count} copies of a query for {@code name} from {@code from} (port chosen by the
   * system) to {@code server}, as fast as answers are drained, stopping at {@code maxTime}; then
   * collects late answers for 200 ms. {@code during}, if not null, runs once half way (a real
   * client asking meanwhile).
   */
  public static Result udp(InetSocketAddress server, InetAddress from, String name, int count, Duration maxTime,
      Runnable during) {
    byte[] query = query(name, TYPE_A, 0x5EED);
    return udp(server, from, i -> query, count, maxTime, during);
  }

  /**
   * As {@link #udp(InetSocketAddress, InetAddress, String, int, Duration, Runnable)}, but query
   * {@code i} (from 0) asks for {@code names.apply(i)}: a flood of distinct queries, which no
   * answer kept for a repeated query can absorb.
   */
  public static Result udpDistinct(InetSocketAddress server, InetAddress from, IntFunction<String> names, int count,
      Duration maxTime, Runnable during) {
    return udp(server, from, i -> query(names.apply(i), TYPE_A, i & 0xFFFF), count, maxTime, during);
  }

  private static Result udp(InetSocketAddress server, InetAddress from, IntFunction<byte[]> queries, int count,
      Duration maxTime, Runnable during) {
    int answers = 0;
    int truncated = 0;
    int largest = 0;
    int sent = 0;
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(1);
      byte[] buf = new byte[65_535];
      long drainUntil = Long.MAX_VALUE;
      while (true) {
        long now = System.nanoTime();
        if (sent < count && now < deadline) {
          byte[] query = queries.apply(sent);
          socket.send(new DatagramPacket(query, query.length, server));
          sent++;
          if (sent == count / 2 && during != null) {
            during.run();
          }
        } else if (drainUntil == Long.MAX_VALUE) {
          drainUntil = now + 200_000_000L; // late answers
        } else if (now >= drainUntil) {
          break;
        }
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          answers++;
          largest = Math.max(largest, p.getLength());
          if (p.getLength() > 2 && (buf[2] & 0x02) != 0) {
            truncated++;
          }
        } catch (SocketTimeoutException nothingYet) {
          // keep flooding
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the flood could not send from " + from, e);
    }
    return new Result(sent, answers, truncated, largest, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Opens {@code n} TCP connections to {@code server} and sends nothing on them. Close them after. */
  public static List<Socket> idleTcp(InetSocketAddress server, int n) {
    List<Socket> out = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        out.add(new Socket(server.getAddress(), server.getPort()));
      }
    } catch (IOException e) {
      out.forEach(DnsFlood::closeQuietly);
      throw new UncheckedIOException("cannot connect to " + server, e);
    }
    return out;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing a test connection
    }
  }
}
