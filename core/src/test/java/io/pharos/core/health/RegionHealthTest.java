package io.pharos.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionHealthTest {
  static QuorumVerdict verdict(List<String> failing, List<String> serving) {
    return new QuorumVerdict("b", 2, 2, failing, serving, List.of(), List.of(), List.of(), false, 0, failing, 0,
        Verdict.UP, failing.size() >= 2 ? QuorumVerdict.Evidence.CLEAR : QuorumVerdict.Evidence.NONE);
  }

  @Test
  void walksTheWholeCycleOnlyByAllowedTransitions() {
    RegionHealth h = new RegionHealth("b", 30_000, 0);
    assertThat(h.update(verdict(List.of("a"), List.of("c")), 1_000)).containsExactly(RegionTransition.HEALTHY_TO_SUSPECT);
    assertThat(h.update(verdict(List.of("a", "c"), List.of()), 2_000)).containsExactly(RegionTransition.SUSPECT_TO_DOWN);
    assertThat(h.since()).isEqualTo(2_000);
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 10_000)).containsExactly(RegionTransition.DOWN_TO_RECOVERING);
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 39_999)).isEmpty();
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 40_000)).containsExactly(RegionTransition.RECOVERING_TO_HEALTHY);
    assertThat(h.state()).isEqualTo(RegionState.HEALTHY);
  }

  @Test
  void aMajorityAtOnceGoesThroughSuspectInOneStep() {
    RegionHealth h = new RegionHealth("b", 30_000, 0);
    assertThat(h.update(verdict(List.of("a", "c"), List.of()), 1_000))
        .containsExactly(RegionTransition.HEALTHY_TO_SUSPECT, RegionTransition.SUSPECT_TO_DOWN);
  }

  @Test
  void aFailingVoteDuringRecoveryRestartsTheStabilisationWindow() {
    RegionHealth h = new RegionHealth("b", 30_000, 0);
    h.update(verdict(List.of("a", "c"), List.of()), 0);
    h.update(verdict(List.of(), List.of("a", "c")), 1_000);
    h.update(verdict(List.of("a"), List.of("c")), 20_000);
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 31_000)).isEmpty();
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 51_000)).isEmpty();
    assertThat(h.update(verdict(List.of(), List.of("a", "c")), 61_000)).containsExactly(RegionTransition.RECOVERING_TO_HEALTHY);
  }

  @Test
  void recoveringFallsBackToDownOnAMajority() {
    RegionHealth h = new RegionHealth("b", 30_000, 0);
    h.update(verdict(List.of("a", "c"), List.of()), 0);
    h.update(verdict(List.of(), List.of("a", "c")), 1_000);
    assertThat(h.update(verdict(List.of("a", "c"), List.of()), 2_000)).containsExactly(RegionTransition.RECOVERING_TO_DOWN);
  }

  @Test
  void refusesATransitionThatIsNotInTheTable() {
    assertThatThrownBy(() -> RegionTransition.between(RegionState.HEALTHY, RegionState.RECOVERING))
        .isInstanceOf(RegionTransition.IllegalTransitionException.class)
        .hasMessageContaining("HEALTHY to RECOVERING");
  }

  @Test
  void endpointTrackerNeedsConsecutiveResultsBothWays() {
    EndpointTracker t = new EndpointTracker(3, 3, 1_000_000, 0.5);
    for (int i = 0; i < 3; i++) {
      t.observe(Observation.up("b", "app", 100, 200, i));
    }
    assertThat(t.state()).isEqualTo(EndpointTracker.State.UP);
    t.observe(Observation.down("b", "app", 100, 0, FailureKind.REFUSED, 10));
    t.observe(Observation.down("b", "app", 100, 0, FailureKind.REFUSED, 11));
    assertThat(t.state()).isEqualTo(EndpointTracker.State.UP);
    assertThat(t.wobbling()).isTrue();
    t.observe(Observation.down("b", "app", 100, 0, FailureKind.REFUSED, 12));
    assertThat(t.state()).isEqualTo(EndpointTracker.State.FAILING);
    assertThat(t.firstFailureAt()).isEqualTo(10);
    t.observe(Observation.up("b", "app", 100, 200, 13));
    t.observe(Observation.up("b", "app", 100, 200, 14));
    assertThat(t.state()).isEqualTo(EndpointTracker.State.FAILING);
    t.observe(Observation.up("b", "app", 100, 200, 15));
    assertThat(t.state()).isEqualTo(EndpointTracker.State.UP);
  }

  @Test
  void aProbeOverTheLatencyBudgetCountsAsFailed() {
    EndpointTracker t = new EndpointTracker(2, 3, 1_000_000, 0.5);
    t.observe(Observation.up("b", "app", 1_500_000, 200, 1));
    t.observe(Observation.up("b", "app", 1_500_000, 200, 2));
    assertThat(t.state()).isEqualTo(EndpointTracker.State.FAILING);
  }

  @Test
  void aHighErrorRateFailsEvenWithoutAConsecutiveRun() {
    EndpointTracker t = new EndpointTracker(3, 3, 1_000_000, 0.5);
    for (int i = 1; i <= 40; i++) {
      boolean fail = i % 3 != 0; // two of three fail, never three in a row
      t.observe(fail ? Observation.down("b", "app", 1, 500, FailureKind.STATUS, i) : Observation.up("b", "app", 1, 200, i));
    }
    assertThat(t.errorRate()).isGreaterThan(0.5);
    assertThat(t.state()).isEqualTo(EndpointTracker.State.FAILING);
  }

  @Test
  void aRunOfGoodProbesRecoversAndRestartsTheErrorWindows() {
    EndpointTracker t = new EndpointTracker(3, 3, 1_000_000, 0.5, 10_000);
    for (int i = 0; i < 60; i++) {
      t.observe(Observation.down("b", "app", 1, 0, FailureKind.REFUSED, i), 1_000L * i + 1);
    }
    assertThat(t.errorRate()).isEqualTo(1.0);
    assertThat(t.sustainedErrorRate(60_000)).isEqualTo(1.0);
    for (int i = 60; i < 63; i++) {
      t.observe(Observation.up("b", "app", 1, 200, i), 1_000L * i + 1);
    }
    assertThat(t.state()).isEqualTo(EndpointTracker.State.UP);
    // the outage's failures no longer count: both windows start again at the recovery
    assertThat(t.errorRate()).isZero();
    assertThat(t.sustainedErrorRate(63_000)).as("not watched for a whole window since").isEqualTo(-1);
    for (int i = 63; i < 80; i++) {
      t.observe(Observation.up("b", "app", 1, 200, i), 1_000L * i + 1);
    }
    assertThat(t.sustainedErrorRate(80_000)).isZero();
  }

  @Test
  void theSustainedErrorRateCoversTheWholeWindowOnly() {
    EndpointTracker t = new EndpointTracker(3, 3, 1_000_000, 0.5, 20_000);
    for (int i = 0; i < 40; i++) {
      boolean fail = i % 4 == 0; // 25 %, never a run
      long at = 1_000L * i + 1;
      t.observe(fail ? Observation.down("b", "app", 1, 500, FailureKind.STATUS, i) : Observation.up("b", "app", 1, 200, i),
          at);
      if (at < 20_001) {
        assertThat(t.sustainedErrorRate(at)).isEqualTo(-1);
      }
    }
    assertThat(t.state()).isEqualTo(EndpointTracker.State.UP);
    assertThat(t.sustainedErrorRate(40_000)).isBetween(0.15, 0.35);
  }
}
