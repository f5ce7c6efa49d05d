package io.pharos.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void portsAreDistinctBindableAndOutsideTheEphemeralRange() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertThat(port).isBetween(Ports.LOW, Ports.HIGH - 1);
      assertThat(seen.add(port)).as("handed out twice: " + port).isTrue();
    }
    int port = Ports.free();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }
}
