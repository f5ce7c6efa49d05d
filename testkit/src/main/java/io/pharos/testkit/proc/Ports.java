package io.pharos.testkit.proc;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, each checked for both TCP and UDP and never handed out twice by one JVM.
 * They are drawn below Linux's ephemeral range (32768–60999 by default), not from it: a port the
 * kernel picked for "any free port" could be taken by an outgoing connection between this check
 * and the moment the sandbox's process binds it (seen: a controller failing to start with
 * "Address already in use").
 */
public final class Ports {
  static final int LOW = 15_000;
  static final int HIGH = 32_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  public static synchronized int free() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(loopback, port));
      } catch (IOException tcpTaken) {
        continue;
      }
      try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(loopback, port))) {
        GIVEN.add(port);
        return port;
      } catch (IOException udpTaken) {
        // try another
      }
    }
    throw new IllegalStateException("no free loopback port found in " + LOW + "-" + HIGH);
  }
}
