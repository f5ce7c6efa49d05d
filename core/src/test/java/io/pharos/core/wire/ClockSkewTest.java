package io.pharos.core.wire;

import static io.pharos.core.wire.ReportVerifierTest.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.model.Report;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Freshness from the controller's receive time and the agent's monotonic clock: agents 20 s fast,
 * 20 s slow and 15 minutes slow are judged alike; a buffered report is late whatever the agent's
 * clock says; a controller clock step is absorbed.
 */
class ClockSkewTest {
  static final long T0 = 1_800_000_000_000L;
  static final long MAX_AGE = 5_000;
  final PharosConfig config = TestConfigs.threeRegions();
  final ReportVerifier verifier = new ReportVerifier(config, r -> RegionKeyState.INITIAL);

  @Test
  void skewedAgentsCountAsFreshAndTheirBufferedReportsAsLate() {
    long[] skews = {20_000, -20_000, -15 * 60_000, 0};
    List<String> measured = new ArrayList<>();
    for (int i = 0; i < skews.length; i++) {
      TestAgent a = new TestAgent("b", "agent-" + i, 0x100 + i, T0, 1);
      a.skewMs = skews[i];
      long t = T0 + 1_000;
      for (int k = 0; k < 10; k++, t += 1_000) {
        ReportVerifier.Accepted ok = accepted(verifier.verify(a.frame(t), t + 3 + k % 4));
        assertThat(ok.late()).as("agent %+d ms, report %d", skews[i], k).isFalse();
        assertThat(ok.skewMs()).isBetween(-skews[i], -skews[i] + 10);
      }
      // cut off for 8 s: the reports built meanwhile wait in the agent and are sent on reconnect
      List<Report> buffered = new ArrayList<>();
      for (int k = 0; k < 8; k++, t += 1_000) {
        buffered.add(a.report(t));
      }
      long uptimeNow = t - a.bootedAt;
      for (Report r : buffered) {
        ReportVerifier.Accepted late = accepted(verifier.verify(a.sign(r.sendingAt(uptimeNow)), t + 2));
        assertThat(late.late()).as("agent %+d ms: held %d ms", skews[i], late.report().heldMillis())
            .isEqualTo(late.report().heldMillis() > MAX_AGE);
      }
      ReportVerifier.Accepted fresh = accepted(verifier.verify(a.frame(t), t + 3));
      assertThat(fresh.late()).isFalse();
      measured.add(String.format("%+d ms -> skew shown %d ms", skews[i], fresh.skewMs()));
    }
    System.out.println("[measure] agent clock skew as controllers show it: " + measured);
  }

  @Test
  void aReportDelayedOnTheWayIsLateWhateverTheAgentsClock() {
    TestAgent fast = new TestAgent("b", "agent-fast", 0x1, T0, 1);
    fast.skewMs = 20_000; // a fast clock once made a delayed report look fresh
    long t = T0 + 1_000;
    for (int k = 0; k < 5; k++, t += 1_000) {
      accepted(verifier.verify(fast.frame(t), t + 2));
    }
    byte[] delayed = fast.frame(t);
    assertThat(accepted(verifier.verify(delayed, t + 7_000)).late()).isTrue();
  }

  @Test
  void aFifteenMinuteSlowAgentIsNeverSilencedAcrossRestarts() {
    TestAgent slow = new TestAgent("c", "agent-slow", 0x1, T0, 1);
    slow.skewMs = -15 * 60_000;
    long t = T0 + 1_000;
    for (int boot = 0; boot < 3; boot++) {
      for (int k = 0; k < 20; k++, t += 1_000) {
        assertThat(accepted(verifier.verify(slow.frame(t), t + 4)).late()).isFalse();
      }
      t += 3_000;
      slow.restart(t, 0x10 + boot);
    }
  }

  @Test
  void aControllerClockStepForwardIsAbsorbedWithinTheBaselineSamples() {
    TestAgent a = new TestAgent("a", "agent-a", 0x1, T0, 1);
    long t = T0 + 1_000;
    for (int k = 0; k < 10; k++, t += 1_000) {
      accepted(verifier.verify(a.frame(t), t + 2));
    }
    long step = 30_000; // the controller's wall clock jumps 30 s ahead
    int late = 0;
    for (int k = 0; k < 20; k++, t += 1_000) {
      if (accepted(verifier.verify(a.frame(t), t + step + 2)).late()) {
        late++;
      }
    }
    assertThat(late).isLessThanOrEqualTo(AgentSessions.BASELINE_SAMPLES);
    assertThat(accepted(verifier.verify(a.frame(t), t + step + 2)).late()).isFalse();
  }
}
