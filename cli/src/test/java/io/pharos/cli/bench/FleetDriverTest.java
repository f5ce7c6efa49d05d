package io.pharos.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
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
    HazelcastInstance member = Hazelcast.newHazelcastInstance(member("fleet-driver-test", port));
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

  private static Config member(String group, int port) {
    Config c = new Config();
    c.setClusterName(group);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.partition.count", "31");
    NetworkConfig n = c.getNetworkConfig();
    n.setPort(port).setPortAutoIncrement(false);
    n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig j = n.getJoin();
    j.getMulticastConfig().setEnabled(false);
    j.getAutoDetectionConfig().setEnabled(false);
    j.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
    c.getJetConfig().setEnabled(false);
    return c;
  }
}
