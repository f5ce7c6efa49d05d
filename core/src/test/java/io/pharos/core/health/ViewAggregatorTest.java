package io.pharos.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The aggregation of agents' reports into what each vantage sees: ties and stale trackers are
 * unknown, trackers of an endpoint an agent stopped reporting expire, and agents not heard for
 * {@code probes.agentExpiry} are dropped (and listed).
 */
class ViewAggregatorTest {
  private static final long T0 = 1_800_000_000_000L;
  private final PharosConfig config = TestConfigs.threeRegions();
  private final ViewAggregator aggregator = new ViewAggregator(config);
  private final Map<String, Long> seq = new HashMap<>();

  /** One report from {@code agent} of {@code region}: {@code observations} probed at {@code at}. */
  private void report(String agent, String region, long at, List<Observation> observations) {
    long n = seq.merge(agent, 1L, Long::sum);
    aggregator.ingest(new Report(Report.VERSION, region, 1, agent, 1, n, at, 0, at, observations), at, false);
  }

  private static Observation up(String region, String endpoint, long at) {
    return Observation.up(region, endpoint, 1_000, 200, at);
  }

  private static Observation down(String region, String endpoint, long at) {
    return Observation.down(region, endpoint, 1_000, 503, FailureKind.STATUS, at);
  }

  /** Region b's endpoints (app, db) as one agent sees them: app {@code appUp}, db up. */
  private static List<Observation> b(boolean appUp, long at) {
    return List.of(appUp ? up("b", "app", at) : down("b", "app", at), up("b", "db", at));
  }

  @Test
  void aTieBetweenAFailingAndAServingAgentIsUnknownNotUp() {
    long[] t = {T0};
    for (int i = 0; i < 3; i++) {
      report("a1", "a", t[0], b(false, t[0]));
      report("a2", "a", t[0], b(true, t[0]));
      t[0] += 1_000;
    }
    VantageReading r = aggregator.snapshot(t[0]).reading("b", "a");
    assertThat(r.liveAgents()).isEqualTo(2);
    assertThat(r.verdict()).as("one broken agent of two cannot speak for the region either way")
        .isEqualTo(Verdict.NO_DATA);

    // a third agent breaks the tie
    for (int i = 0; i < 3; i++) {
      report("a1", "a", t[0], b(false, t[0]));
      report("a2", "a", t[0], b(true, t[0]));
      report("a3", "a", t[0], b(false, t[0]));
      t[0] += 1_000;
    }
    assertThat(aggregator.snapshot(t[0]).reading("b", "a").verdict()).isEqualTo(Verdict.FAILING);
  }

  @Test
  void oneBrokenAgentOfTwoNoLongerHoldsBackARealFailover() {
    long t = T0;
    for (int i = 0; i < 3; i++) {
      report("a1", "a", t, b(false, t));
      report("a2", "a", t, b(true, t)); // broken: sees b serving
      report("c1", "c", t, b(false, t));
      report("b1", "b", t, b(false, t)); // b's own agent sees its app fail too
      t += 1_000;
    }
    QuorumVerdict v = VantageQuorum.evaluate(aggregator.snapshot(t), List.of()).get("b");
    assertThat(v.servingVoters()).isEmpty();
    assertThat(v.unknownVoters()).containsExactly("a");
    assertThat(v.failingVoters()).containsExactly("c");
    assertThat(v.evidence()).as("c sees it fail; a cannot vote, so b's own agents stand in")
        .isEqualTo(QuorumVerdict.Evidence.CONFIRMED_BY_OWN);
    assertThat(v.quorumPossible()).isTrue();
  }

  /**
   * Simulation seed 4747: an agent silent for half a minute came back while every region had gone
   * down; its first failing probe left its old "serving" verdict standing (it needs downAfter
   * failures to flip), so for a moment it contradicted the others and one region was failed over
   * while every region was down.
   */
  @Test
  void anAgentHeardAgainAfterASilenceStartsUnknownNotWithItsOldVerdict() {
    long t = T0;
    for (int i = 0; i < 3; i++) {
      report("a1", "a", t, b(true, t));
      t += 1_000;
    }
    assertThat(aggregator.snapshot(t).reading("b", "a").verdict()).isEqualTo(Verdict.UP);
    t += 30_000; // silent meanwhile; b went down
    report("a1", "a", t, b(false, t));
    assertThat(aggregator.snapshot(t).reading("b", "a").verdict())
        .as("one failing probe after a silence: no verdict yet, not the serving one from before").isEqualTo(Verdict.NO_DATA);
    for (int i = 0; i < 2; i++) {
      t += 250;
      report("a1", "a", t, b(false, t));
    }
    assertThat(aggregator.snapshot(t).reading("b", "a").verdict()).isEqualTo(Verdict.FAILING);
  }

  @Test
  void aTrackerAnAgentStoppedReportingIsUnknownAndThenForgotten() {
    long t = T0;
    for (int i = 0; i < 3; i++) {
      report("a1", "a", t, b(false, t));
      t += 1_000;
    }
    assertThat(aggregator.snapshot(t).reading("b", "a").verdict()).isEqualTo(Verdict.FAILING);
    // the agent goes on reporting, but no longer about b (its config lost the region, a probe wedged)
    long until = t + 60_000;
    while (t < until) {
      report("a1", "a", t, List.of(up("c", "app", t)));
      t += 1_000;
    }
    ClusterView view = aggregator.snapshot(t);
    assertThat(view.reading("c", "a").verdict()).isEqualTo(Verdict.UP);
    assertThat(view.reading("b", "a").verdict()).as("a verdict from a minute ago is not a vote")
        .isEqualTo(Verdict.NO_DATA);
    assertThat(view.reading("b", "a").wobbling()).isFalse();

    long expiry = config.probes().agentExpiry().toMillis();
    while (t < until + expiry) {
      report("a1", "a", t, List.of(up("c", "app", t)));
      t += 5_000;
    }
    aggregator.snapshot(t);
    assertThat(aggregator.trackers()).as("only a1's tracker of c/app is left").isEqualTo(1);
  }

  @Test
  void agentsNotHeardForTheExpiryAreDroppedAndListed() {
    long t = T0;
    // 100 pod restarts: every agent id reports once, then never again
    for (int i = 0; i < 100; i++) {
      report("a-pod-" + i, "a", t, List.of(up("c", "app", t)));
    }
    long expiry = config.probes().agentExpiry().toMillis();
    List<Long> reportTimes = new ArrayList<>();
    for (long at = t; at <= t + expiry + 10_000; at += 2_000) {
      report("a-live", "a", at, List.of(up("c", "app", at)));
      reportTimes.add(at);
    }
    long now = reportTimes.get(reportTimes.size() - 1);
    ClusterView view = aggregator.snapshot(now);
    assertThat(view.knownAgents().get("a")).isEqualTo(1);
    assertThat(view.liveAgents().get("a")).isEqualTo(1);
    assertThat(view.droppedAgentsTotal()).isEqualTo(100);
    assertThat(view.droppedAgents()).hasSize(ViewAggregator.DROPPED_SHOWN).allSatisfy(d -> {
      assertThat(d.region()).isEqualTo("a");
      assertThat(d.lastHeardAt()).isEqualTo(T0);
      assertThat(d.droppedAt()).isGreaterThan(T0 + expiry);
    });
    // an agent that comes back is a known agent again
    report("a-pod-7", "a", now, List.of(up("c", "app", now)));
    assertThat(aggregator.snapshot(now).knownAgents().get("a")).isEqualTo(2);
  }
}
