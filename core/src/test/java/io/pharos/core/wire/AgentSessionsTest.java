package io.pharos.core.wire;

import static io.pharos.core.wire.ReportVerifierTest.accepted;
import static io.pharos.core.wire.ReportVerifierTest.reason;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.model.Report;
import org.junit.jupiter.api.Test;

/** Replay protection per agent boot, the two paths' duplicates, and what a forged jump can end. */
class AgentSessionsTest {
  static final long T0 = 1_800_000_000_000L;
  final PharosConfig config = TestConfigs.threeRegions();
  final ReportVerifier verifier = new ReportVerifier(config, r -> RegionKeyState.INITIAL);

  @Test
  void theSecondPathsCopyIsAQuietDuplicateAndAThirdCopyAReplay() {
    TestAgent a = new TestAgent("a", "agent-a", T0);
    byte[] frame = a.frame(T0);
    accepted(verifier.verify(frame, T0 + 2));
    ReportVerifier.Rejected dup = (ReportVerifier.Rejected) verifier.verify(frame, T0 + 3);
    assertThat(dup.reason()).isEqualTo(RejectReason.DUPLICATE);
    assertThat(dup.reason().alarming()).isFalse();
    assertThat(dup.authenticated()).isTrue();
    assertThat(reason(verifier.verify(frame, T0 + 500))).as("captured off the topic and re-sent")
        .isEqualTo(RejectReason.REPLAYED);
  }

  @Test
  void aRetriedReportReSignedLaterIsADuplicateAndAnOldCopyAReplay() {
    TestAgent a = new TestAgent("a", "agent-a", T0);
    Report r = a.report(T0);
    accepted(verifier.verify(a.sign(r), T0 + 2));
    // the agent saw no acknowledgement and sent it again 5 s later (a new hold time, new bytes)
    assertThat(reason(verifier.verify(a.sign(r.sendingAt(5_000)), T0 + 5_002))).isEqualTo(RejectReason.DUPLICATE);
    assertThat(reason(verifier.verify(a.sign(r), T0 + 31_000))).isEqualTo(RejectReason.REPLAYED);
  }

  @Test
  void copiesOutOfOrderCountOnceAndCountersBelowTheWindowAreReplays() {
    TestAgent a = new TestAgent("a", "agent-a", T0);
    byte[] first = a.frame(T0);
    byte[] second = a.frame(T0 + 100);
    accepted(verifier.verify(second, T0 + 102));
    accepted(verifier.verify(first, T0 + 103)); // the slower path's copy of the earlier report
    assertThat(reason(verifier.verify(first, T0 + 104))).isEqualTo(RejectReason.DUPLICATE);
    byte[] old = a.frame(T0 + 200);
    for (int i = 0; i < AgentSessions.WINDOW; i++) {
      accepted(verifier.verify(a.frame(T0 + 300 + i), T0 + 300 + i));
    }
    ReportVerifier.Rejected r = (ReportVerifier.Rejected) verifier.verify(old, T0 + 400);
    assertThat(r.reason()).isEqualTo(RejectReason.REPLAYED);
    assertThat(r.message()).contains("below the replay window");
  }

  @Test
  void aForgedJumpEndsAtMostTheVictimsCurrentBoot() {
    TestAgent victim = new TestAgent("a", "agent-a", 0xaaaa, T0, 1);
    accepted(verifier.verify(victim.frame(T0), T0 + 2));
    // a holder of region a's key forges the victim's boot with the largest counter
    Report jump = new Report(Report.VERSION, "a", 1, "agent-a", 0xaaaa, Long.MAX_VALUE, 1_000, 0, T0 + 1_000,
        java.util.List.of());
    accepted(verifier.verify(victim.sign(jump), T0 + 1_003));
    assertThat(reason(verifier.verify(victim.frame(T0 + 2_000), T0 + 2_002))).isEqualTo(RejectReason.REPLAYED);
    // the victim restarts: a new boot, accepted, and the forged counter means nothing to it
    victim.restart(T0 + 10_000, 0xbbbb);
    assertThat(accepted(verifier.verify(victim.frame(T0 + 11_000), T0 + 11_002)).late()).isFalse();
    accepted(verifier.verify(victim.frame(T0 + 12_000), T0 + 12_002));
    // the same agent id in another region is another agent, untouched by all this
    TestAgent namesake = new TestAgent("b", "agent-a", 0xcccc, T0, 1);
    accepted(verifier.verify(namesake.frame(T0 + 12_000), T0 + 12_003));
  }

  @Test
  void aForgedNewBootEndsTheCurrentBootOnlyUntilTheVictimRestarts() {
    TestAgent victim = new TestAgent("a", "agent-a", 0xaaaa, T0, 1);
    accepted(verifier.verify(victim.frame(T0 + 5_000), T0 + 5_002));
    TestAgent forger = new TestAgent("a", "agent-a", 0xf00d, T0 + 6_000, 1);
    accepted(verifier.verify(forger.frame(T0 + 6_000), T0 + 6_002));
    ReportVerifier.Rejected ended = (ReportVerifier.Rejected) verifier.verify(victim.frame(T0 + 7_000), T0 + 7_002);
    assertThat(ended.reason()).isEqualTo(RejectReason.REPLAYED);
    assertThat(ended.message()).contains("which ended");
    victim.restart(T0 + 20_000, 0xbbbb);
    accepted(verifier.verify(victim.frame(T0 + 21_000), T0 + 21_002));
  }

  @Test
  void aCapturedReportOfAnOlderBootCannotEndTheLiveOne() {
    // the controller never saw boot 1 (it started later); a frame of boot 1 was captured
    TestAgent old = new TestAgent("a", "agent-a", 0x1111, T0, 1);
    byte[] captured = old.frame(T0 + 60_000);
    TestAgent live = new TestAgent("a", "agent-a", 0x2222, T0 + 120_000, 1);
    accepted(verifier.verify(live.frame(T0 + 10 * 60_000), T0 + 10 * 60_000 + 2));
    ReportVerifier.Rejected r = (ReportVerifier.Rejected) verifier.verify(captured, T0 + 10 * 60_000 + 500);
    assertThat(r.reason()).isEqualTo(RejectReason.REPLAYED);
    assertThat(r.message()).contains("wall clock");
    accepted(verifier.verify(live.frame(T0 + 10 * 60_000 + 1_000), T0 + 10 * 60_000 + 1_002));
    // and once seen to end, an old boot stays ended
    TestAgent next = new TestAgent("a", "agent-a", 0x3333, T0 + 11 * 60_000, 1);
    accepted(verifier.verify(next.frame(T0 + 11 * 60_000 + 5), T0 + 11 * 60_000 + 7));
    assertThat(reason(verifier.verify(live.frame(T0 + 11 * 60_000 + 10), T0 + 11 * 60_000 + 12)))
        .isEqualTo(RejectReason.REPLAYED);
  }

  @Test
  void aClockSteppedAcrossARestartIsHeldBackUntilTheAgentsStateExpires() {
    TestAgent a = new TestAgent("a", "agent-a", 0x1, T0, 1);
    accepted(verifier.verify(a.frame(T0 + 1_000), T0 + 1_002));
    a.restart(T0 + 5_000, 0x2);
    a.skewMs = -5 * 60_000; // NTP stepped its clock back five minutes during the restart
    assertThat(reason(verifier.verify(a.frame(T0 + 6_000), T0 + 6_002))).isEqualTo(RejectReason.REPLAYED);
    long expiry = config.security().agentStateExpiry().toMillis();
    assertThat(verifier.expireAgents(T0 + 1_002 + expiry - 1)).isZero();
    assertThat(verifier.expireAgents(T0 + 1_002 + expiry + 1)).isEqualTo(1);
    assertThat(verifier.trackedAgents()).isZero();
    long later = T0 + expiry + 10_000;
    assertThat(accepted(verifier.verify(a.frame(later), later + 2)).late()).isFalse();
  }
}
