package io.pharos.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DataPlaneWatchdogTest {
  private static final Duration TIMEOUT = Duration.ofMillis(20);
  private final FakeClock clock = new FakeClock();
  private final List<String> exits = new ArrayList<>();
  private final AtomicReference<Supplier<CompletionStage<?>>> probe = new AtomicReference<>(ok());

  private DataPlaneWatchdog watchdog() {
    return new DataPlaneWatchdog(clock, TIMEOUT, Duration.ofSeconds(30), () -> probe.get().get(), exits::add,
        new ControllerMetrics("test", clock).errors());
  }

  private static Supplier<CompletionStage<?>> ok() {
    return () -> CompletableFuture.completedFuture(null);
  }

  private static Supplier<CompletionStage<?>> hanging() {
    return CompletableFuture::new;
  }

  @Test
  void aMemberThatStopsAnsweringIsDeclaredWedgedOnlyAfterTheWholeWindow() {
    try (DataPlaneWatchdog w = watchdog()) {
      assertTrue(w.tick());
      probe.set(hanging());
      for (int i = 0; i < 15; i++) {
        assertFalse(w.tick());
        clock.advance(Duration.ofSeconds(2));
      }
      assertTrue(exits.isEmpty(), "28 s of failed probes is not yet a wedge: " + exits);
      assertFalse(w.tick());
      assertEquals(1, exits.size());
      assertTrue(exits.get(0).contains("30 s"), exits.get(0));
      assertTrue(w.wedged());
      assertFalse(w.tick());
      assertEquals(1, exits.size(), "declared once");
    }
  }

  @Test
  void oneAnsweredProbeEndsTheStreak() {
    try (DataPlaneWatchdog w = watchdog()) {
      probe.set(() -> CompletableFuture.failedFuture(new IllegalStateException("partition migrating")));
      for (int i = 0; i < 10; i++) {
        assertFalse(w.tick());
        clock.advance(Duration.ofSeconds(2));
      }
      probe.set(ok());
      assertTrue(w.tick());
      assertTrue(w.healthy());
      probe.set(() -> CompletableFuture.failedFuture(new IllegalStateException("partition migrating")));
      for (int i = 0; i < 10; i++) {
        assertFalse(w.tick());
        clock.advance(Duration.ofSeconds(2));
      }
      assertTrue(exits.isEmpty(), "two 20 s streaks are not one of 30 s");
    }
  }

  @Test
  void aLongPauseIsNotAWedgeByItself() {
    // a SIGSTOP of the whole process: the clock jumps, the first probe after it fails, the next answers
    try (DataPlaneWatchdog w = watchdog()) {
      CompletableFuture<Object> slow = new CompletableFuture<>();
      probe.set(() -> slow);
      assertFalse(w.tick());
      clock.advance(Duration.ofSeconds(60));
      assertFalse(w.tick());
      assertTrue(exits.isEmpty(), "two failed probes are fewer than " + DataPlaneWatchdog.MIN_FAILED_PROBES);
      slow.complete(null);
      assertTrue(w.tick(), "the probe in flight is waited for, not replaced");
      assertTrue(exits.isEmpty());
    }
  }

  @Test
  void theProbeOfARealMemberAnswersAndFailsOnceTheMemberIsGone() {
    Config config = new Config().setClusterName("watchdog-" + System.nanoTime());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.partition.count", "31");
    config.getNetworkConfig().setPort(0).getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getMapConfig(ClusterNames.WATCHDOG).setBackupCount(0);
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
    LocalPartitionProbe real = new LocalPartitionProbe(hz);
    probe.set(() -> real.get());
    try (DataPlaneWatchdog w = new DataPlaneWatchdog(clock, Duration.ofSeconds(5), Duration.ofSeconds(30),
        () -> probe.get().get(), exits::add, new ControllerMetrics("test", clock).errors())) {
      assertTrue(w.tick());
      String first = real.lastKey();
      assertTrue(w.tick(), "a new local key");
      assertNotEquals(first, real.lastKey(), "every probe writes a key nobody could name before");
      assertNull(hz.getMap(ClusterNames.MODES).get("eu-west"), "probes write their own map only");
      assertEquals(2, hz.getMap(ClusterNames.WATCHDOG).size(), "one key per probe (they expire after 60 s)");
      hz.getLifecycleService().terminate();
      for (int i = 0; i < 3; i++) {
        assertFalse(w.tick());
        clock.advance(Duration.ofSeconds(15));
      }
      assertEquals(1, exits.size(), exits.toString());
      assertTrue(exits.get(0).contains("not running"), exits.get(0));
    } finally {
      hz.getLifecycleService().terminate();
    }
  }
}
