package io.pharos.chaos.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The runner's silence on the watchdog's monotonic clock, discounting the watchdog's own stalls. */
class RunnerLivenessTest {
  private static final long MS = 1_000_000;

  @Test
  void silenceIsTheTimeSinceTheHeartbeatCounterLastMoved() {
    RunnerLiveness l = new RunnerLiveness(1_000 * MS);
    long t = 5_000 * MS; // an arbitrary origin: System.nanoTime has none
    assertThat(l.look(1, t)).isZero();
    assertThat(l.look(2, t += 200 * MS)).isZero();
    assertThat(l.look(2, t += 200 * MS)).isEqualTo(200);
    for (int i = 0; i < 50; i++) {
      l.look(2, t += 200 * MS);
    }
    assertThat(l.look(2, t += 200 * MS)).isEqualTo(10_400);
    assertThat(l.look(3, t + 200 * MS)).as("a beat again").isZero();
    assertThat(l.ownStalls()).isZero();
  }

  @Test
  void aStallOfTheWatchdogItselfIsNotCountedAgainstTheRunner() {
    RunnerLiveness l = new RunnerLiveness(1_000 * MS);
    long t = 0;
    l.look(7, t);
    l.look(7, t += 200 * MS);
    // the whole machine stalled for 12 s: neither process ran
    assertThat(l.look(7, t += 12_000 * MS)).isZero();
    assertThat(l.ownStalls()).isEqualTo(1);
    assertThat(l.look(7, t += 200 * MS)).isEqualTo(200);
  }

  @Test
  void aLeaseOfAnOlderRunnerWithoutACounterIsTimedFromTheFirstLook() {
    RunnerLiveness l = new RunnerLiveness(1_000 * MS);
    long t = 0;
    assertThat(l.look(0, t)).isZero();
    for (int i = 0; i < 10; i++) {
      l.look(0, t += 200 * MS);
    }
    assertThat(l.look(0, t + 200 * MS)).isEqualTo(2_200);
  }
}
