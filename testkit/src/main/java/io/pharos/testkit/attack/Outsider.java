package io.pharos.testkit.attack;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/**
 * A Hazelcast client of the controllers' data plane that knows what an outsider on the network
 * knows: one member's address and the cluster name (open-source Hazelcast asks for nothing else).
 * No key, no token, no certificate. The attack pieces act through it.
 */
public final class Outsider implements AutoCloseable {
  private final HazelcastInstance client;

  private Outsider(HazelcastInstance client) {
    this.client = client;
  }

  /**
   * Connects (blocking, up to 30 s).
   *
   * @param clusterName the cluster name ({@code controllers.group}, {@code pharos} by default)
   * @param addresses member addresses ({@code host:port}), one is enough
   */
  public static Outsider connect(String clusterName, List<String> addresses) {
    ClientConfig c = new ClientConfig();
    c.setClusterName(clusterName);
    c.setInstanceName("outsider-" + Long.toHexString(System.nanoTime()));
    addresses.forEach(a -> c.getNetworkConfig().addAddress(a));
    c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
    c.getMetricsConfig().setEnabled(false);
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.client.invocation.timeout.seconds", "10");
    return new Outsider(HazelcastClient.newHazelcastClient(c));
  }

  public HazelcastInstance client() {
    return client;
  }

  /** Leaves the cluster; the members release every lock this client held. */
  @Override
  public void close() {
    client.shutdown();
  }
}
