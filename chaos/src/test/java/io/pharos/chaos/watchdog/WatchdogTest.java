package io.pharos.chaos.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.testkit.FaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog as a real detached process: when the runner dies it resumes a stopped process and
 * clears an endpoint fault; when the runner finishes it exits without touching anything.
 */
class WatchdogTest {
  @TempDir
  Path dir;

  @Test
  void whenTheRunnerDiesEveryFaultIsReverted() throws Exception {
    Process runner = new ProcessBuilder("sleep", "60").start();
    Process victim = new ProcessBuilder("sleep", "60").start();
    try (FaultServer app = new FaultServer("127.0.0.1", 0).start()) {
      new ProcessBuilder("kill", "-STOP", Long.toString(victim.pid())).start().waitFor();
      app.set(new FaultServer.Fault(1.0, 503, 0, false));
      Path lease = dir.resolve("lease.json");
      write(lease, new LeaseFile.Content(runner.pid(), "drill-test", System.currentTimeMillis(), "running", List.of(
          new LeaseFile.FaultLease("frozen", "SIGSTOP victim", System.currentTimeMillis() + 60_000,
              List.of(RevertSpec.sigcont(victim.pid()))),
          new LeaseFile.FaultLease("errors", "errors", System.currentTimeMillis() + 60_000,
              List.of(RevertSpec.http("DELETE", "http://127.0.0.1:" + app.port() + "/_fault")))), List.of()));
      long watchdog = WatchdogLauncher.start(lease, Duration.ofSeconds(30));
      assertThat(state(victim.pid())).isEqualTo("T");
      runner.destroyForcibly().waitFor();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(LeaseFile.read(lease).state()).isEqualTo("reverted-by-watchdog");
        assertThat(state(victim.pid())).isNotEqualTo("T");
        assertThat(app.fault()).isEqualTo(FaultServer.Fault.NONE);
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(watchdog).map(h -> !h.isAlive()).orElse(true));
    } finally {
      victim.destroyForcibly();
      runner.destroyForcibly();
    }
  }

  @Test
  void whenTheRunnerFinishesTheWatchdogLeavesEverythingAlone() throws Exception {
    try (FaultServer app = new FaultServer("127.0.0.1", 0).start()) {
      Path lease = dir.resolve("lease2.json");
      FaultServer.Fault f = new FaultServer.Fault(0.5, 503, 0, false);
      app.set(f);
      long watchdog;
      try (LeaseFile l = new LeaseFile(lease, "drill-test2")) {
        l.faults(List.of(new LeaseFile.FaultLease("errors", "errors", System.currentTimeMillis() + 60_000,
            List.of(RevertSpec.http("DELETE", "http://127.0.0.1:" + app.port() + "/_fault")))));
        watchdog = WatchdogLauncher.start(lease, Duration.ofSeconds(30));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(watchdog).map(h -> !h.isAlive()).orElse(true));
      assertThat(app.fault()).isEqualTo(f);
      assertThat(LeaseFile.read(lease).state()).isEqualTo("finished");
    }
  }

  @Test
  void aRunnerThatKeepsBeatingIsAliveWhateverItsWallClockSays() throws Exception {
    Process runner = new ProcessBuilder("sleep", "60").start();
    try (FaultServer app = new FaultServer("127.0.0.1", 0).start()) {
      FaultServer.Fault f = new FaultServer.Fault(1.0, 503, 0, false);
      app.set(f);
      Path lease = dir.resolve("lease3.json");
      ObjectMapper json = new ObjectMapper();
      // the runner's wall clock is a minute behind the watchdog's (NTP stepped it), but it beats
      long behind = System.currentTimeMillis() - 60_000;
      java.util.concurrent.atomic.AtomicBoolean beating = new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.atomic.AtomicLong beat = new java.util.concurrent.atomic.AtomicLong();
      Runnable writeLease = () -> {
        var n = json.createObjectNode().put("runnerPid", runner.pid()).put("runTag", "drill-test3")
            .put("heartbeatAt", behind).put("beat", beat.incrementAndGet()).put("state", "running");
        n.putArray("faults").add(json.valueToTree(new LeaseFile.FaultLease("errors", "errors",
            System.currentTimeMillis() + 60_000, List.of(RevertSpec.http("DELETE", "http://127.0.0.1:" + app.port()
                + "/_fault")))));
        n.putArray("cleanup");
        try {
          Path tmp = lease.resolveSibling("lease3.json.tmp");
          Files.writeString(tmp, n.toString());
          Files.move(tmp, lease, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      writeLease.run();
      var beats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      beats.scheduleAtFixedRate(() -> {
        if (beating.get()) {
          writeLease.run();
        }
      }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
      Watchdog watchdog = new Watchdog(lease, 2_000);
      var watching = java.util.concurrent.CompletableFuture.supplyAsync(watchdog::run);
      try {
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
            .until(() -> app.fault().equals(f) && !watching.isDone());
        // the beats stop (the runner is wedged): reverted after the tolerance, measured by the watchdog
        beating.set(false);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          assertThat(app.fault()).isEqualTo(FaultServer.Fault.NONE);
          assertThat(LeaseFile.read(lease).state()).isEqualTo("reverted-by-watchdog");
        });
        assertThat(watching.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      } finally {
        beats.shutdownNow();
      }
    } finally {
      runner.destroyForcibly();
    }
  }

  private static void write(Path p, LeaseFile.Content c) throws Exception {
    Files.writeString(p, new ObjectMapper().writeValueAsString(c));
  }

  private static String state(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  }
}
