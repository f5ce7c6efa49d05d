package io.pharos.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.agent.MemberMain;
import io.pharos.agent.TestCluster;
import io.pharos.agent.TestFutures;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import io.pharos.testkit.cluster.LoopbackMembers;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Reports through a cut-off member do not go missing for seconds (issue 13): three members, the one
 * owning one of the agent's two paths in its own JVM, frozen with SIGSTOP for longer than
 * Hazelcast's failure detection. The other path keeps delivering every report; the frozen path's
 * copies stop for the whole freeze, which is the gap a single path would have had.
 */
class TwoPathsTest {
  static final long HEARTBEAT_MS = 100;
  static final long FREEZE_MS = 8_000;

  @Test
  void with_the_member_of_one_path_frozen_reports_keep_arriving_through_the_other() throws Exception {
    String group = "pharos-two-paths";
    int portA = Ports.free();
    int portB = Ports.free();
    int firstPortC = Ports.free();
    String[] all = {String.valueOf(portA), String.valueOf(portB), String.valueOf(firstPortC)};
    Vertx vertx = Vertx.vertx();
    Path logs = Files.createTempDirectory("pharos-two-paths");
    HazelcastInstance a = null;
    HazelcastInstance b = null;
    ManagedProcess c = null;
    try (ProcessGroup group0 = new ProcessGroup(logs)) {
      c = startC(group0, group, "member-c", firstPortC, portA, portB);
      a = Hazelcast.newHazelcastInstance(LoopbackMembers.config(group, portA, all));
      b = Hazelcast.newHazelcastInstance(LoopbackMembers.config(group, portB, all));
      HazelcastInstance memberA = a;
      settle(memberA, 3);
      int cPort = firstPortC;
      // C (the one that can be frozen) may own none of the 8 report topics' partitions (B leaving and joining
      // again gave it back the same share): then a new C, on a new port, joins and takes another share
      for (int i = 1; i <= 3 && agentPreferring(memberA, member(memberA, cPort)) == null; i++) {
        c.kill();
        settle(memberA, 2);
        cPort = Ports.free();
        c = startC(group0, group, "member-c" + i, cPort, portA, portB);
        settle(memberA, 3);
      }
      int portC = cPort;
      Member memberC = member(memberA, portC);
      List<TestCluster.Received> inbox = TestCluster.newInbox();
      TestCluster.collect(a, inbox);

      // an agent whose preferred topic is owned by C (the frozen one), the other path by A or B
      String agentId = agentPreferring(memberA, memberC);
      org.junit.jupiter.api.Assumptions.assumeTrue(agentId != null,
          "C owns none of the report topics' partitions, also after three new Cs: nothing to freeze");
      PharosConfig config = TestConfigs.twoRegions(group, 9, 9, portA, portB, "{ heartbeat: 1s }", "{}");
      Context ctx = vertx.getOrCreateContext();
      ClusterConnection conn = new ClusterConnection(vertx, ctx, AgentClientConfig.build(config, agentId), agentId, 2);
      long t0 = System.nanoTime();
      HazelcastPublisher pub = new HazelcastPublisher(conn, vertx, 100, new ReportSigner(TestConfigs.regionKey("a")),
          () -> (System.nanoTime() - t0) / 1_000_000, agentId);
      TestFutures.done(conn.start());
      await().atMost(Duration.ofSeconds(30)).until(conn::connected);
      AtomicLong counter = new AtomicLong();
      vertx.setPeriodic(HEARTBEAT_MS, id -> pub.publish(new Report(Report.VERSION, "a", 1, agentId, 7,
          counter.incrementAndGet(), (System.nanoTime() - t0) / 1_000_000, 0, System.currentTimeMillis(), List.of())));
      await().atMost(Duration.ofSeconds(20)).until(() -> TestCluster.from(inbox, agentId).size() >= 20);
      List<String> paths = pub.stats().paths();
      assertThat(paths).as("one path on C, the other elsewhere").hasSize(2)
          .anyMatch(p -> p.endsWith(":" + portC)).anyMatch(p -> !p.endsWith(":" + portC));

      long frozenAt = System.currentTimeMillis();
      c.freeze();
      await().pollDelay(Duration.ofMillis(FREEZE_MS)).atMost(Duration.ofMillis(FREEZE_MS + 1_000)).until(() -> true);
      long resumedAt = System.currentTimeMillis();
      c.resume();
      await().atMost(Duration.ofSeconds(10)).until(() -> TestCluster.from(inbox, agentId).stream()
          .anyMatch(r -> r.receivedAt() > resumedAt + 1_000));

      List<TestCluster.Received> firsts = TestCluster.from(inbox, agentId);
      long maxGap = maxGap(firsts, frozenAt - 1_000, resumedAt + 1_000);
      String frozenTopic = paths.stream().filter(p -> p.endsWith(":" + portC)).findFirst().orElseThrow();
      String topicOnC = frozenTopic.substring(0, frozenTopic.indexOf('@'));
      List<TestCluster.Received> viaC = TestCluster.copies(inbox, agentId).stream()
          .filter(r -> r.topic().equals(topicOnC)).toList();
      long gapOnC = maxGap(viaC, frozenAt - 1_000, resumedAt + 1_000);
      System.out.printf("[measure] member of one path frozen %d ms: largest gap between reports %d ms (every %d ms"
          + " sent); on the frozen path's topic alone %d ms; path re-picks %d; paths now %s%n", FREEZE_MS, maxGap,
          HEARTBEAT_MS, gapOnC, pub.stats().pathRepicks(), pub.stats().paths());
      assertThat(gapOnC).as("the frozen path really carried nothing").isGreaterThan(FREEZE_MS / 2);
      assertThat(maxGap).as("no gap of seconds").isLessThan(1_000);
      assertThat(pub.stats().pathRepicks()).as("the slow member was left").isGreaterThanOrEqualTo(1);
      assertThat((long) firsts.size()).as("nothing lost: every report but the few still in flight arrived")
          .isGreaterThanOrEqualTo(counter.get() - 5);
    } finally {
      if (c != null && c.isFrozen()) {
        c.resume();
      }
      if (a != null) {
        a.getLifecycleService().terminate();
      }
      if (b != null) {
        b.getLifecycleService().terminate();
      }
      TestFutures.done(vertx.close());
    }
  }

  /** The member C: a JVM of its own (so that it can be frozen), joining A and B. */
  static ManagedProcess startC(ProcessGroup group0, String group, String name, int port, int portA, int portB) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Launcher.HAZELCAST_MEMBER_FLAGS);
    cmd.addAll(List.of("-Xmx96m", "-cp", System.getProperty("java.class.path"), MemberMain.class.getName(), group,
        String.valueOf(port), String.valueOf(portA), String.valueOf(portB), String.valueOf(port)));
    return group0.start(name, cmd, Map.of());
  }

  static Member member(HazelcastInstance member, int port) {
    return member.getCluster().getMembers().stream().filter(m -> m.getAddress().getPort() == port)
        .findFirst().orElseThrow();
  }

  /**
   * {@code members} members; partitions are assigned on first use: every report topic has an owner, no migration
   * under way.
   */
  static void settle(HazelcastInstance member, int members) {
    await().atMost(Duration.ofSeconds(60)).until(() -> member.getCluster().getMembers().size() == members);
    await().atMost(Duration.ofSeconds(30)).until(() -> ReportTopics.ALL.stream().allMatch(t -> owner(member, t)
        != null) && member.getPartitionService().isClusterSafe());
  }

  /**
   * An agent id whose first-choice topic C owns while some other topic is owned by another member; null when C
   * owns none of the topics' partitions.
   */
  static String agentPreferring(HazelcastInstance member, Member c) {
    for (int i = 0; i < 10_000; i++) {
      String id = "two-paths-" + i;
      List<String> order = new ReportPaths(id.hashCode()).topics();
      if (owner(member, order.get(0)).equals(c)
          && ReportTopics.ALL.stream().anyMatch(t -> !owner(member, t).equals(c))) {
        return id;
      }
    }
    return null;
  }

  static Member owner(HazelcastInstance member, String topic) {
    return member.getPartitionService().getPartition(topic).getOwner();
  }

  /** Largest time between consecutive arrivals within [from, to]. */
  static long maxGap(List<TestCluster.Received> received, long from, long to) {
    long last = from;
    long max = 0;
    for (TestCluster.Received r : received) {
      if (r.receivedAt() < from || r.receivedAt() > to) {
        continue;
      }
      max = Math.max(max, r.receivedAt() - last);
      last = r.receivedAt();
    }
    return Math.max(max, to - last);
  }
}
