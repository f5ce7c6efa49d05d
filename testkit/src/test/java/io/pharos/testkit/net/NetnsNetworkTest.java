package io.pharos.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real namespace network: reachability, a partition, healing it, and a complete teardown. */
class NetnsNetworkTest {
  @Test
  void partitionCutsBothWaysHealRestoresAndTeardownLeavesNothing() throws Exception {
    Assumptions.assumeTrue(NetnsNetwork.unavailableReason().isEmpty(),
        () -> "needs root, iproute2 and iptables: " + NetnsNetwork.unavailableReason().orElse(""));
    NetnsNetwork net = NetnsNetwork.create(List.of("a", "b"));
    NetnsNetwork.Descriptor d = net.descriptor();
    Process server = null;
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      server = new ProcessBuilder(net.exec("b", List.of(java, "-cp", System.getProperty("java.class.path"),
          NetServerMain.class.getName(), net.address("b"), "8080"))).redirectErrorStream(true).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!connects(net, "a", net.address("b"), 8080)) {
        assertThat(System.nanoTime()).as("server in namespace b reachable from a").isLessThan(deadline);
      }
      assertThat(connectsFromRoot(net.address("b"), 8080)).isTrue();

      PartitionInjector p = new PartitionInjector(d, "nettest");
      PartitionInjector.Cut cut = p.partition(Set.of("a"), Set.of("b"));
      assertThat(p.remainingRules()).hasSize(2).allMatch(r -> r.contains("pharos:nettest:cut1"));
      assertThat(connects(net, "a", net.address("b"), 8080)).isFalse();
      assertThat(connectsFromRoot(net.address("b"), 8080)).as("the runner still reaches b").isTrue();

      p.heal(cut);
      p.heal(cut); // idempotent
      assertThat(p.remainingRules()).isEmpty();
      assertThat(connects(net, "a", net.address("b"), 8080)).isTrue();
    } finally {
      net.close();
    }
    assertThat(server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("process in the namespace killed").isTrue();
    String namespaces = Cmd.run(List.of("ip", "netns", "list")).out();
    assertThat(namespaces).doesNotContain(NetnsNetwork.NS_PREFIX + d.id());
    assertThat(Cmd.run(List.of("ip", "link", "show", d.bridge())).ok()).isFalse();
    assertThat(Iptables.list(null, d.forwardTag())).isEmpty();
    assertThat(Files.exists(NetnsNetwork.STATE_DIR.resolve(d.id() + ".json"))).isFalse();
  }

  private static boolean connects(NetnsNetwork net, String from, String host, int port) {
    return Cmd.run(net.exec(from, List.of("timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port)),
        null, Duration.ofSeconds(5)).ok();
  }

  private static boolean connectsFromRoot(String host, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
