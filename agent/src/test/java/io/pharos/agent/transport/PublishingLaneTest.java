package io.pharos.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.agent.TestCluster;
import io.pharos.agent.TestFutures;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, defect 10: every Hazelcast call went through one worker thread, so a listener
 * registration the cluster was slow to answer (up to 10 s) held back every report. This test
 * failed before the fix (the report did not arrive within 3 s while a call was blocked) and passes
 * with publishing on its own lane.
 */
class PublishingLaneTest {
  @Test
  void a_blocked_registration_does_not_hold_back_reports() {
    Vertx vertx = Vertx.vertx();
    int port = Ports.free();
    HazelcastInstance member = TestCluster.member("pharos-lanes", port);
    List<TestCluster.Received> inbox = TestCluster.newInbox();
    TestCluster.collect(member, inbox);
    CountDownLatch release = new CountDownLatch(1);
    try {
      PharosConfig config = TestConfigs.twoRegions("pharos-lanes", 9, 9, port, "{ heartbeat: 1s }", "{}");
      Context ctx = vertx.getOrCreateContext();
      ClusterConnection c = new ClusterConnection(vertx, ctx, AgentClientConfig.build(config, "lanes"), "lanes", 1);
      HazelcastPublisher pub = new HazelcastPublisher(c, vertx, 10, new ReportSigner(TestConfigs.regionKey("a")),
          () -> 1_000, "lanes");
      TestFutures.done(c.start());
      await().atMost(Duration.ofSeconds(20)).until(c::connected);
      // what ModeWatcher does with a registration the cluster is slow to answer: hold the call
      c.call(hz -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      });
      ctx.runOnContext(v -> pub.publish(new Report(Report.VERSION, "a", 1, "lanes", 1, 1, 1_000, 0,
          System.currentTimeMillis(), List.of())));
      await().atMost(Duration.ofSeconds(3)).until(() -> !TestCluster.from(inbox, "lanes").isEmpty());
      assertThat(TestCluster.copies(inbox, "lanes")).as("one copy per path").hasSize(2);
    } finally {
      release.countDown();
      member.getLifecycleService().terminate();
      TestFutures.done(vertx.close());
    }
  }
}
