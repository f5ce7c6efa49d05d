package io.pharos.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.testkit.cluster.LoopbackMembers;
import io.pharos.testkit.proc.Ports;
import org.junit.jupiter.api.Test;

/**
 * The fleet driver reaches into a real Hazelcast client to cancel its channel-metrics task; this
 * fails when an upgrade of Hazelcast moves what it reaches for (the driver would then quietly pay
 * that task's cost again for every simulated agent).
 */
class FleetDriverTest {
  @Test
  void cancelsTheChannelMetricsTaskOfARealClient() {
    int port = Ports.free();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(
        LoopbackMembers.config("fleet-driver-test", port, Integer.toString(port)));
    ClientConfig c = new ClientConfig();
    c.setClusterName("fleet-driver-test");
    c.getNetworkConfig().addAddress("127.0.0.1:" + port);
    c.getMetricsConfig().setEnabled(false);
    c.setProperty("hazelcast.logging.type", "slf4j");
    HazelcastInstance client = HazelcastClient.newHazelcastClient(c);
    try {
      assertThat(FleetDriver.cancelChannelMetricsTask(client)).as("cancelled").isTrue();
      assertThat(FleetDriver.cancelChannelMetricsTask(client)).as("already cancelled").isFalse();
      assertThat(client.getTopic("still-works").publishAsync("x").toCompletableFuture().join()).isNull();
    } finally {
      client.shutdown();
      member.shutdown();
    }
  }
}
