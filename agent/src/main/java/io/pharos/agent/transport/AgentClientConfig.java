package io.pharos.agent.transport;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;

/**
 * The Hazelcast client configuration of an agent: the controllers' cluster, started and
 * reconnected asynchronously so the agent keeps probing with no controller up, and as few
 * threads as the client allows (agents run in every region; memory matters).
 */
public final class AgentClientConfig {
  /** First reconnect attempt after this; doubles (x1.5) up to {@link #MAX_BACKOFF_MS}. */
  static final int INITIAL_BACKOFF_MS = 200;
  static final int MAX_BACKOFF_MS = 2000;

  private AgentClientConfig() {}

  public static ClientConfig build(PharosConfig config, String agentId) {
    ClientConfig c = new ClientConfig();
    c.setClusterName(config.controllers().group());
    c.addLabel("pharos-agent");
    c.addLabel(agentId);
    for (ControllerPeer peer : config.controllers().peers()) {
      c.getNetworkConfig().addAddress(peer.hazelcast().toString());
    }
    // A publish is not idempotent; a lost one is put back into the agent's own buffer instead.
    c.getNetworkConfig().setRedoOperation(false);
    c.getNetworkConfig().setConnectionTimeout(3000);

    ConnectionRetryConfig retry = new ConnectionRetryConfig()
        .setInitialBackoffMillis(INITIAL_BACKOFF_MS)
        .setMaxBackoffMillis(MAX_BACKOFF_MS)
        .setMultiplier(1.5)
        .setJitter(0.2)
        .setClusterConnectTimeoutMillis(-1); // retry forever: no controller is not a reason to exit
    c.getConnectionStrategyConfig()
        .setAsyncStart(true)
        .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ASYNC)
        .setConnectionRetryConfig(retry);

    // Anyone on the data plane can put any object where the agent reads: deserialize with Java
    // serialization nothing but strings (which do not even need it), so no class can be smuggled in
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
    filter.getWhitelist().addClasses(String.class.getName());
    c.getSerializationConfig().setJavaSerializationFilterConfig(filter);

    c.getMetricsConfig().setEnabled(false);
    // Backup acknowledgements come to the client only for writes with synchronous backups, and an agent
    // writes nothing: it publishes and reads. With them on (the default for a client that connects to
    // every member) the client registers a backup listener on every member and runs a task every
    // 100 ms to time out missing acks.
    c.setBackupAckToClientEnabled(false);
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.client.event.thread.count", "1");
    c.setProperty("hazelcast.client.io.input.thread.count", "1");
    c.setProperty("hazelcast.client.io.output.thread.count", "1");
    c.setProperty("hazelcast.client.response.thread.count", "0");
    // A frozen member is noticed in seconds, not the default minute; a stuck call fails in 10 s.
    c.setProperty("hazelcast.client.heartbeat.interval", "1000");
    c.setProperty("hazelcast.client.heartbeat.timeout", "5000");
    c.setProperty("hazelcast.client.invocation.timeout.seconds", "10");
    return c;
  }
}
