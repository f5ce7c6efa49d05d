package io.pharos.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.decision.Step;
import io.pharos.core.wire.ReportVerifier;
import org.junit.jupiter.api.Test;

/** The benchmark measures what it says: every frame accepted, across the ring's wrap too. */
class IngestPathBenchmarkTest {
  @Test
  void everyFrameIsAcceptedAcrossTheRingsWrap() {
    IngestPathBenchmark b = new IngestPathBenchmark();
    b.agents = 30;
    b.setUp();
    int ops = b.frames.length * 2 + 5;
    for (int i = 0; i < ops; i++) {
      assertThat(b.verify()).as("operation " + i).isInstanceOfSatisfying(ReportVerifier.Accepted.class, a -> {
        assertThat(a.late()).isFalse();
        assertThat(a.droppedObservations()).isZero();
      });
    }
    for (int i = 0; i < ops; i++) {
      b.verifyAndAggregate(); // throws on a rejection
    }
  }

  @Test
  void theDecisionStepSeesEveryRegionAndSigningMakesFrames() {
    IngestPathBenchmark b = new IngestPathBenchmark();
    b.agents = 30;
    b.setUp();
    Step s = b.decisionStep();
    // a view of every agent, every region seen up by every vantage: not an empty or stale view
    assertThat(s.view().liveAgents().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    assertThat(s.verdicts()).containsOnlyKeys("a", "b", "c");
    for (String r : s.verdicts().keySet()) {
      assertThat(s.seenFailingBy(r)).as("seen failing by " + r).isEmpty();
    }
    assertThat(b.sign()).isNotEmpty();
  }
}
