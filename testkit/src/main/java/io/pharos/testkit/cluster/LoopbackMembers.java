package io.pharos.testkit.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * A bare Hazelcast member's configuration for tests: loopback only, TCP/IP join to the given ports,
 * timings as the controllers have them (heartbeat 1 s, a member declared dead after 5 s, 31
 * partitions), no phone-home, no Jet.
 */
public final class LoopbackMembers {
  private LoopbackMembers() {}

  /** A member of {@code group} on 127.0.0.1:{@code port}, joining the members on {@code memberPorts}. */
  public static Config config(String group, int port, String... memberPorts) {
    Config c = new Config();
    c.setClusterName(group);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.partition.count", "31");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig n = c.getNetworkConfig();
    n.setPort(port).setPortAutoIncrement(false);
    n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig j = n.getJoin();
    j.getMulticastConfig().setEnabled(false);
    j.getAutoDetectionConfig().setEnabled(false);
    j.getTcpIpConfig().setEnabled(true);
    for (String p : memberPorts) {
      j.getTcpIpConfig().addMember("127.0.0.1:" + p);
    }
    c.getJetConfig().setEnabled(false);
    return c;
  }
}
