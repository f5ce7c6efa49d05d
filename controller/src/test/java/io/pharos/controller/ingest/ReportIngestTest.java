package io.pharos.controller.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.model.Report;
import io.pharos.core.wire.RejectReason;
import io.pharos.core.wire.ReportSigner;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verify before queueing: what an outsider sends never takes a queue slot; the queue is bounded. */
class ReportIngestTest {
  final PharosConfig config = TestConfigs.threeRegions();
  final FakeClock clock = new FakeClock();
  final ControllerMetrics metrics = new ControllerMetrics("c1", clock);

  byte[] frame(String region, String agent, long counter) {
    return new ReportSigner(TestConfigs.regionKey(region)).sign(new Report(Report.VERSION, region, 1, agent, 42,
        counter, 1_000 + counter, 0, clock.millis(), List.of()));
  }

  @Test
  void aFloodOfLargeFramesIsDroppedOnTheListenerThreadAndRealReportsStillQueue() {
    ReportIngest ingest = new ReportIngest(config, clock, metrics, r -> RegionKeyState.INITIAL);
    byte[] junk = new byte[1 << 20];
    for (int i = 0; i < 500; i++) {
      ingest.onFrame(junk);
      if (i % 100 == 0) {
        ingest.onFrame(frame("a", "agent-a", i + 1));
      }
    }
    assertThat(metrics.rejectedCount(RejectReason.OVERSIZED)).isEqualTo(500);
    assertThat(ingest.queued()).as("only the five real reports wait").isEqualTo(5);
    assertThat(metrics.registry().get("pharos.ingest.queue.bytes").gauge().value()).isLessThan(5_000);
    for (int i = 0; i < 5; i++) {
      assertThat(ingest.poll().report().agentId()).isEqualTo("agent-a");
    }
    assertThat(metrics.registry().get("pharos.ingest.queue.bytes").gauge().value()).isZero();
  }

  @Test
  void theSecondPathsCopyIsCountedAsADuplicateAndNotQueued() {
    ReportIngest ingest = new ReportIngest(config, clock, metrics, r -> RegionKeyState.INITIAL);
    byte[] f = frame("b", "agent-b", 1);
    ingest.onFrame(f);
    ingest.onFrame(f);
    assertThat(ingest.queued()).isEqualTo(1);
    assertThat(metrics.rejectedCount(RejectReason.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void oneAgentCannotTakeTheRoomOfTheOthersNorAllAgentsMoreThanTheBytes() {
    ReportIngest perAgent = new ReportIngest(config, clock, metrics, r -> RegionKeyState.INITIAL, 1 << 20, 3);
    for (int i = 1; i <= 5; i++) {
      perAgent.onFrame(frame("a", "agent-a", i));
    }
    perAgent.onFrame(frame("b", "agent-b", 1));
    assertThat(metrics.rejectedCount(RejectReason.AGENT_BACKLOG)).isEqualTo(2);
    assertThat(perAgent.queued()).isEqualTo(4);
    perAgent.poll();
    perAgent.onFrame(frame("a", "agent-a", 6));
    assertThat(perAgent.queued()).as("room again once the decision thread took one").isEqualTo(4);

    int size = frame("c", "agent-c", 1).length;
    ReportIngest bytes = new ReportIngest(config, clock, metrics, r -> RegionKeyState.INITIAL, 2L * size + 1, 100);
    for (int i = 1; i <= 4; i++) {
      bytes.onFrame(frame("c", "agent-c", i));
    }
    assertThat(bytes.queued()).isEqualTo(2);
    assertThat(metrics.rejectedCount(RejectReason.QUEUE_FULL)).isEqualTo(2);
  }
}
