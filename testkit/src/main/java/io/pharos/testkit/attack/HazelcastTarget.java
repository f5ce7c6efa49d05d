package io.pharos.testkit.attack;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * What an outsider needs to reach the controllers' data plane: the cluster name and a member
 * address (open-source Hazelcast has no client authentication). Makes plain Hazelcast clients.
 *
 * @param clusterName the controllers' Hazelcast cluster name ({@code controllers.group})
 * @param addresses member addresses, {@code host:port}
 */
public record HazelcastTarget(String clusterName, List<String> addresses) {
  public HazelcastTarget {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("at least one member address is needed");
    }
  }

  /** A connected client; the caller shuts it down. */
  public HazelcastInstance connect(String name) {
    ClientConfig c = new ClientConfig();
    c.setClusterName(clusterName);
    c.setInstanceName(name + "-" + System.nanoTime());
    addresses.forEach(a -> c.getNetworkConfig().addAddress(a));
    c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.getMetricsConfig().setEnabled(false);
    return HazelcastClient.newHazelcastClient(c);
  }
}
