package io.pharos.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControlPlaneWatchTest {
  private final FakeClock clock = new FakeClock();
  private final ControllerMetrics metrics = new ControllerMetrics("c1", clock);
  private final InMemoryJournal journal = new InMemoryJournal(ControlState.initial(TestConfigs.threeRegions()));
  private final LocalAlerts alerts = new LocalAlerts(clock, metrics.registry());
  private Map<String, Long> followers = Map.of();
  private final AtomicInteger ticks = new AtomicInteger();
  private final ControlPlaneWatch watch = new ControlPlaneWatch(journal, () -> followers, alerts, 600, metrics.errors(),
      List.of(ticks::incrementAndGet));

  @Test
  void aControllerThatLosesTheMajorityRaisesControllerMinorityAtOnceWithoutTheJournal() {
    watch.tick();
    assertThat(alerts.active()).as("a starting controller is not ready, not in alarm").isEmpty();
    journal.deposedBy("c2");
    watch.tick();
    assertThat(alerts.active()).isEmpty();
    journal.loseLeader();
    watch.tick();
    assertThat(alerts.active()).singleElement().satisfies(a -> {
      assertThat(a.code()).isEqualTo(ControlPlaneWatch.MINORITY);
      assertThat(a.severity()).isEqualTo("CRITICAL");
      assertThat(a.message()).contains("not with a majority").contains("fail-static");
    });
    assertThat(metrics.scrape()).contains("pharos_local_alert{code=\"ControllerMinority\"");
    assertThat(journal.proposed()).as("nothing through the journal").isEmpty();
    journal.becomeLeader();
    watch.tick();
    assertThat(alerts.active()).isEmpty();
    assertThat(ticks.get()).isEqualTo(4);
  }

  @Test
  void theLeaderNamesAControllerThatStoppedAnswering() {
    journal.becomeLeader();
    followers = Map.of("c2", 100L, "c3", 5_000L);
    watch.tick();
    assertThat(alerts.active()).singleElement().satisfies(a -> {
      assertThat(a.code()).isEqualTo(ControlPlaneWatch.UNREACHABLE);
      assertThat(a.subject()).isEqualTo("c3");
    });
    followers = Map.of("c2", 100L, "c3", 50L);
    watch.tick();
    assertThat(alerts.active()).isEmpty();
  }
}
