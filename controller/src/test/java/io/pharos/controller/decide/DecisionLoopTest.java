package io.pharos.controller.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.ingest.ReportIngest;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionKeyRotated;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DecisionLoopTest {
  final PharosConfig config = TestConfigs.threeRegions();
  final FakeClock clock = new FakeClock();
  final ControllerMetrics metrics = new ControllerMetrics("c1", clock);
  final List<Step> steps = new CopyOnWriteArrayList<>();

  @Test
  void stepsOnVerifiedReportsAndWarnsWhileAgentsUseThePreviousKey() {
    AtomicReference<ControlState> state = new AtomicReference<>(ControlState.initial(config));
    long at = clock.millis();
    state.set(state.get().apply(new RegionKeyRotated("b", 2, at + 3_600_000, "admin", "yearly", 1, at, "c1"), 1, 5)
        .state());
    ReportIngest ingest = new ReportIngest(config, clock, metrics, r -> state.get().regionKey(r));
    try (DecisionLoop loop = new DecisionLoop(config, "c1", clock, metrics, state::get, steps::add, ingest)) {
      loop.start();
      ReportSigner previous = new ReportSigner(TestConfigs.MASTER.regionKey("b", 1));
      ingest.onFrame(previous.sign(new Report(Report.VERSION, "b", 1, "agent-b", 7, 1, 1_000, 0, clock.millis(),
          List.of())));
      await().atMost(Duration.ofSeconds(5)).until(() -> metrics.previousKeyCount("b") == 1);
      loop.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> loop.latest() != null && loop.latest().analyses().stream()
          .anyMatch(a -> a.code() == AnalysisCode.PREVIOUS_KEY_IN_USE && "b".equals(a.region())));
      String message = loop.latest().analyses().stream().filter(a -> a.code() == AnalysisCode.PREVIOUS_KEY_IN_USE)
          .findFirst().orElseThrow().message();
      assertThat(message).contains("agent-b").contains("pharos keys derive --region b --generation 2");
      assertThat(steps.get(steps.size() - 1).decision()).isNull();
    }
  }

  @Test
  void timesEveryReportFromArrivalToTheVerdicts() {
    AtomicReference<ControlState> state = new AtomicReference<>(ControlState.initial(config));
    ReportIngest ingest = new ReportIngest(config, clock, metrics, r -> state.get().regionKey(r));
    try (DecisionLoop loop = new DecisionLoop(config, "c1", clock, metrics, state::get, steps::add, ingest)) {
      loop.start();
      ReportSigner signer = new ReportSigner(TestConfigs.MASTER.regionKey("a", 1));
      for (int i = 1; i <= 3; i++) {
        ingest.onFrame(signer.sign(new Report(Report.VERSION, "a", 1, "agent-a", 7, i, 1_000L * i, 0, clock.millis(),
            List.of())));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> metrics.decisionLatency().count() == 3);
      // the fake clock stands still: nothing waited
      assertThat(metrics.decisionLatency().max(java.util.concurrent.TimeUnit.MILLISECONDS)).isZero();
    }
  }
}
