package io.pharos.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 0018: while one controller's member is frozen (SIGSTOP, in a JVM of its own), the two others
 * declare it dead and stay one cluster. Found in {@code CrashScheduleIT}'s frozen-leader case: the
 * kernel completes the healthy members' TCP connections to the frozen one, which never answers, and
 * with Hazelcast's selection-key wake-up on, such a connection kept its output thread busy and other
 * connections on that thread that had to wait to be writable stalled: the two healthy members
 * stopped hearing each other and split for as long as the freeze lasted. One output thread each
 * here, so that every connection shares the thread with the frozen peer's, and traffic between the
 * two so that writes contend.
 */
class FrozenPeerTest {
  @TempDir
  Path dir;

  @Test
  void theOtherTwoMembersStayOneClusterWhileAThirdIsFrozen() throws Exception {
    String group = "frozen-peer-" + System.nanoTime();
    int[] ports = {Ports.free(), Ports.free(), Ports.free()};
    String yaml = ChildMember.yaml(group, ports, List.of("r1", "r2", "r3"));
    PharosConfig config = TestConfigs.parse(yaml);
    Path configFile = dir.resolve("pharos.yaml");
    Files.writeString(configFile, yaml);
    List<ControllerPeer> peers = config.controllers().peers();
    List<HazelcastInstance> started = new ArrayList<>();
    AtomicBoolean load = new AtomicBoolean(true);
    try (ProcessGroup processes = new ProcessGroup(dir.resolve("logs"))) {
      ManagedProcess child = processes.start("member-c3", ChildMember.command(configFile, "c3"), Map.of());
      HazelcastInstance a = HazelcastMembership.start(oneIoThread(config, peers.get(0)));
      started.add(a);
      HazelcastInstance b = HazelcastMembership.start(oneIoThread(config, peers.get(1)));
      started.add(b);
      await().atMost(Duration.ofSeconds(90)).until(() -> a.getCluster().getMembers().size() == 3
          && b.getCluster().getMembers().size() == 3 && a.getPartitionService().isClusterSafe());
      List<String> removed = new CopyOnWriteArrayList<>();
      for (HazelcastInstance h : started) {
        h.getCluster().addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent e) {}

          @Override
          public void memberRemoved(MembershipEvent e) {
            removed.add(h.getName() + " lost " + e.getMember().getAddress());
          }
        });
      }
      Thread traffic = new Thread(() -> {
        IMap<Integer, byte[]> fromA = a.getMap("traffic");
        IMap<Integer, byte[]> fromB = b.getMap("traffic");
        for (int i = 0; load.get() && i < 5_000_000; i++) {
          try {
            fromA.put(i % 1_000, new byte[512]);
            fromB.get((i + 500) % 1_000);
          } catch (RuntimeException e) {
            // a partition owned by the frozen member, until it is removed
          }
        }
      }, "frozen-peer-traffic");
      traffic.setDaemon(true);
      traffic.start();
      try {
        child.freeze();
        String frozen = "127.0.0.1:" + ports[2];
        await().atMost(Duration.ofSeconds(30)).until(() -> a.getCluster().getMembers().size() == 2
            && b.getCluster().getMembers().size() == 2);
        // after the removal the healthy members keep trying the frozen address (the split-brain
        // search every 5 s): that connection is the one that never completes
        await("the two healthy members staying together while " + frozen + " is frozen")
            .during(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> a.getCluster().getMembers().size() == 2 && b.getCluster().getMembers().size() == 2);
        assertThat(removed).as("membership changes").allMatch(r -> r.endsWith(":" + ports[2]));
      } finally {
        load.set(false);
        child.resume();
      }
    } finally {
      started.forEach(h -> h.getLifecycleService().terminate());
    }
  }

  /** The controllers' member config with one I/O thread each way (Hazelcast's default is 3). */
  private static Config oneIoThread(PharosConfig config, ControllerPeer self) {
    Config c = HazelcastMembership.config(config, self);
    c.setProperty("hazelcast.io.thread.count", "1");
    return c;
  }
}
