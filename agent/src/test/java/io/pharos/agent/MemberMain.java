package io.pharos.agent;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import io.pharos.testkit.proc.ProcessGroup;

/**
 * A bare Hazelcast member in its own JVM, so a test can freeze it (SIGSTOP) as a cut-off
 * controller host: {@code MemberMain <group> <port> <member port>...}. Timings as the controllers
 * have them (heartbeat 1 s, a member declared dead after 5 s, 31 partitions).
 */
public final class MemberMain {
  private MemberMain() {}

  public static void main(String[] args) {
    ProcessGroup.exitWithParent();
    Hazelcast.newHazelcastInstance(config(args[0], Integer.parseInt(args[1]),
        java.util.Arrays.copyOfRange(args, 2, args.length)));
    System.out.println("member up");
  }

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
