package io.pharos.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.controller.ReportingAgentsAccess;
import io.pharos.controller.decide.DecisionLoop;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Step;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.journal.ControlState;
import io.pharos.core.wire.RejectReason;
import io.pharos.testkit.attack.Outsider;
import io.pharos.testkit.attack.ReportFlooder;
import io.pharos.testkit.attack.Replayer;
import io.pharos.testkit.attack.SequenceJumper;
import io.pharos.testkit.attack.WrongRegionReporter;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The report attacks of the hostile-neighbour suite against one controller's ingest (its
 * Hazelcast member, the verifying listener, the decision loop) while one agent per region reports
 * every 100 ms: each attack is refused and counted by reason, real reports keep being counted, and
 * no region looks silent. The attackers hold only the cluster name (and, for a compromised agent,
 * one region's key).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportAttacksTest {
  static final String GROUP = "pharos-attacks";
  static PharosConfig config;
  static HazelcastInstance member;
  static HazelcastInstance agentClient;
  static ControllerMetrics metrics;
  static ReportIngest ingest;
  static DecisionLoop loop;
  static ReportingAgentsAccess.Agents agents;
  static Outsider outsider;
  static final List<Step> steps = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() {
    int port = Ports.free();
    config = TestConfigs.threeRegions(GROUP, port);
    Config c = new Config();
    c.setClusterName(GROUP);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    c.getJetConfig().setEnabled(false);
    member = Hazelcast.newHazelcastInstance(c);
    metrics = new ControllerMetrics("c1", Clock.systemUTC());
    ControlState state = ControlState.initial(config);
    ingest = new ReportIngest(config, Clock.systemUTC(), metrics, state::regionKey).listen(member);
    loop = new DecisionLoop(config, "c1", Clock.systemUTC(), metrics, () -> state, steps::add, ingest).start();
    ClientConfig cc = new ClientConfig();
    cc.setClusterName(GROUP);
    cc.getNetworkConfig().addAddress("127.0.0.1:" + port);
    agentClient = HazelcastClient.newHazelcastClient(cc);
    agents = ReportingAgentsAccess.start(config, agentClient, 100);
    outsider = Outsider.connect(GROUP, List.of("127.0.0.1:" + port));
    await().atMost(Duration.ofSeconds(30)).until(() -> loop.latest() != null && everyRegionHeard(loop.latest()));
  }

  @AfterAll
  static void tearDown() {
    outsider.close();
    agents.close();
    loop.close();
    ingest.close();
    agentClient.shutdown();
    member.getLifecycleService().terminate();
  }

  static boolean everyRegionHeard(Step s) {
    return s.verdicts().values().stream().allMatch(v -> v.silentVoters().isEmpty() && v.servingVoters().size() == 2);
  }

  static double accepted() {
    return metrics.registry().get("pharos.reports.accepted").counter().count();
  }

  @Test
  @Order(1)
  void aFloodOfLargeFramesIsDroppedAndNoRegionLooksSilent() {
    double before = accepted();
    int stepsBefore = steps.size();
    ReportFlooder.Result flood = new ReportFlooder(outsider).flood(600, 1 << 20, Duration.ofSeconds(20));
    List<Step> all = new java.util.ArrayList<>(steps);
    List<Step> during = all.subList(stepsBefore, all.size());
    double real = accepted() - before;
    System.out.printf("[measure] flood of %d x 1 MiB frames in %d ms: %.0f real reports counted meanwhile, %d steps"
        + " with a silent vantage of %d; queue drops %.0f%n", flood.sent(), flood.took().toMillis(), real,
        during.stream().filter(s -> !everyRegionHeard(s)).count(), during.size(),
        metrics.rejectedCount(RejectReason.QUEUE_FULL) + metrics.rejectedCount(RejectReason.AGENT_BACKLOG));
    assertThat(flood.sent()).isGreaterThan(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.rejectedCount(RejectReason.OVERSIZED) == flood.sent());
    assertThat(real).as("real reports still counted during the flood").isPositive();
    assertThat(during).as("no region looked silent during the flood")
        .allSatisfy(s -> assertThat(everyRegionHeard(s)).as("step at %d: %s", s.at(), s.verdicts()).isTrue());
    assertThat(metrics.rejectedCount(RejectReason.QUEUE_FULL)).isZero();
    assertThat(metrics.rejectedCount(RejectReason.AGENT_BACKLOG)).isZero();
  }

  @Test
  @Order(2)
  void aCompromisedAgentOfOneRegionCannotSpeakForAnother() {
    double bad = metrics.rejectedCount(RejectReason.BAD_SIGNATURE);
    int sent = new WrongRegionReporter(outsider, TestConfigs.regionKey("a")).claim("b", "app", 50,
        Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.rejectedCount(RejectReason.BAD_SIGNATURE) >= bad + sent);
    loop.poke();
    QuorumVerdict b = loop.latest().verdicts().get("b");
    assertThat(b.failingVoters()).as("no invented agent 'in' b voted").isEmpty();
    assertThat(everyRegionHeard(loop.latest())).isTrue();
  }

  @Test
  @Order(3)
  void aCapturedReportSentAgainIsRefused() throws Exception {
    double replayed = metrics.rejectedCount(RejectReason.REPLAYED);
    Replayer.Result r = new Replayer(outsider).replay(null, 10, Duration.ofSeconds(10), Duration.ofMillis(500));
    assertThat(r.replayed()).isEqualTo(10);
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.rejectedCount(RejectReason.REPLAYED)
        >= replayed + r.replayed());
    assertThat(everyRegionHeard(loop.latest())).isTrue();
  }

  @Test
  @Order(4)
  void aForgedSequenceJumpEndsAtMostTheVictimsCurrentBoot() throws Exception {
    double replayed = metrics.rejectedCount(RejectReason.REPLAYED);
    SequenceJumper.Result jump = new SequenceJumper(outsider, TestConfigs.regionKey("c")).jump("agent-c",
        Duration.ofSeconds(10));
    // the victim's real reports of that boot now look like replays...
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.rejectedCount(RejectReason.REPLAYED) >= replayed + 5);
    // ...until it starts again: a new boot, accepted, and the forged counter means nothing to it
    long restartedAt = System.currentTimeMillis();
    agents.restart("c");
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      loop.poke();
      Step s = loop.latest();
      return s.at() > restartedAt + 500 && everyRegionHeard(s);
    });
    // the old boot's frames still queued behind the first new one (each frame goes on two topics,
    // whose listeners run on different event threads) are counted as replays after it: wait until
    // the count stops moving. While the new boot's reports are refused, it never does (2 frames
    // every 100 ms), and this times out
    double[] seen = {-1};
    await("the old boot's frames drained").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(700))
        .until(() -> {
          double now = metrics.rejectedCount(RejectReason.REPLAYED);
          boolean still = now == seen[0];
          seen[0] = now;
          return still;
        });
    double after = metrics.rejectedCount(RejectReason.REPLAYED);
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(metrics.rejectedCount(RejectReason.REPLAYED)).as("the new boot's reports are not replays")
        .isEqualTo(after);
    System.out.printf("[measure] forged jump of boot %016x: victim's reports refused until its restart, then"
        + " accepted%n", jump.victimBoot());
  }
}
