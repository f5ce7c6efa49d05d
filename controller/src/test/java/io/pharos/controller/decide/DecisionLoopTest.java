package io.pharos.controller.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.ControlState;
import io.pharos.core.wire.RejectReason;
import io.pharos.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DecisionLoopTest {
  final PharosConfig config = TestConfigs.threeRegions();
  final FakeClock clock = new FakeClock();
  final ControllerMetrics metrics = new ControllerMetrics("c1", clock);
  final List<Step> steps = new CopyOnWriteArrayList<>();

  @Test
  void aFullQueueDropsReportsAndCountsThemWithoutBlockingTheSender() {
    ControlState state = ControlState.initial(config);
    try (DecisionLoop loop = new DecisionLoop(config, "c1", clock, metrics, () -> state, steps::add, 3)) {
      for (int i = 0; i < 10; i++) {
        loop.offer(new byte[] {1, 2, 3});
      }
      assertThat(metrics.shedCount()).isEqualTo(7);
      assertThat(metrics.registry().get("pharos.ingest.queue").gauge().value()).isEqualTo(3);
      loop.start();
      // what was queued is still read: three malformed frames, each rejected and counted
      await().atMost(Duration.ofSeconds(5)).until(() -> metrics.rejectedCount(RejectReason.MALFORMED) == 3);
      assertThat(metrics.shedCount()).isEqualTo(7);
      loop.poke();
      await().atMost(Duration.ofSeconds(5)).until(() -> loop.latest() != null && !steps.isEmpty());
      assertThat(steps.get(0).decision()).isNull();
    }
  }
}
