package io.pharos.controller.cluster;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A controller's Hazelcast member alone, in a JVM of its own, so that a test can freeze it with
 * SIGSTOP: {@code ChildMember <config.yaml> <peer id>}. Exits with its parent.
 */
public final class ChildMember {
  private ChildMember() {}

  public static void main(String[] args) throws Exception {
    ProcessGroup.exitWithParent();
    PharosConfig config = TestConfigs.parse(Files.readString(Path.of(args[0])));
    ControllerPeer self = config.controllers().peer(args[1]).orElseThrow();
    HazelcastMembership.start(config, self);
    System.out.println("member " + self.id() + " started");
    Thread.currentThread().join();
  }

  /** The command line of a child member of {@code config} (a file) with peer id {@code id}, on this test's classpath. */
  public static List<String> command(Path config, String id) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Launcher.HAZELCAST_MEMBER_FLAGS);
    cmd.addAll(Launcher.LEAN);
    cmd.add("-Xmx128m");
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(ChildMember.class.getName());
    cmd.add(config.toString());
    cmd.add(id);
    return cmd;
  }

  /**
   * A config of three controllers (ids c1..c3) whose Hazelcast members listen on {@code ports} of
   * 127.0.0.1, one per region of {@code regions} (three); nothing else of theirs runs.
   */
  public static String yaml(String group, int[] ports, List<String> regions) {
    StringBuilder y = new StringBuilder("regions:\n");
    StringBuilder targets = new StringBuilder();
    for (int i = 0; i < regions.size(); i++) {
      String r = regions.get(i);
      y.append("  - { name: ").append(r).append(", endpoints: [ { id: app, url: \"http://127.0.0.1:9/").append(r)
          .append("\" } ] }\n");
      targets.append(i == 0 ? "" : ", ").append(r).append(": [\"10.0.0.").append(i + 1).append("\"]");
    }
    y.append("dns:\n  zone: pharos.test\n  records:\n    - { name: app.pharos.test, ttl: 5, targets: { ")
        .append(targets).append(" } }\n");
    y.append("controllers:\n  group: ").append(group).append("\n  peers:\n");
    // only the Hazelcast members run: the other addresses are on a loopback address of their own so
    // that they never collide with the free ports the members were given
    for (int i = 0; i < 3; i++) {
      y.append("    - { id: c").append(i + 1).append(", region: ").append(regions.get(i)).append(", raft: \"127.0.0.3:")
          .append(17_700 + i).append("\", hazelcast: \"127.0.0.1:").append(ports[i]).append("\", api: \"127.0.0.3:")
          .append(18_700 + i).append("\", dns: \"127.0.0.3:").append(15_700 + i).append("\" }\n");
    }
    y.append("policy: { cooldown: 1m }\n");
    return y + TestConfigs.securityYaml();
  }
}
