package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.chaos.crash.CrashSchedule;
import io.pharos.chaos.crash.CrashScheduleRunner;
import io.pharos.chaos.crash.NamedCases;
import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Jepsen-style: controllers in separate JVMs, each process in its own network namespace, under
 * kill -9, SIGSTOP/SIGCONT and partitions (iptables) while regions fail and recover; every history
 * checked (at most one actor per term, DNS tokens only grow, no intent lost or applied twice, a cut
 * off or frozen controller never acts, no failover of a serving region). Runs the three named
 * cases and 10 random schedules; {@code bench/crash-schedules.sh} runs more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashScheduleIT {
  static final int SCHEDULES = Integer.getInteger("pharos.crash.schedules", 10);
  LocalSandbox sandbox;
  CrashScheduleRunner runner;
  NamedCases cases;

  @BeforeAll
  void start() {
    sandbox = LocalSandbox.builder(Path.of("target", "it-crash-" + System.currentTimeMillis()),
            PharosNodes.launcher(Path.of("target", "pharos.jar")))
        .network(SandboxNetwork.NETNS)
        .policy(RegionLossBench.POLICY)
        .env(Map.of("PHAROS_FAULT_HOLD_BEFORE_FENCE_MS", Long.toString(NamedCases.HOLD_MS)))
        .build().start();
    sandbox.awaitHealthy(Duration.ofSeconds(180));
    runner = new CrashScheduleRunner(sandbox, System.out);
    cases = new NamedCases(sandbox, runner);
  }

  @AfterAll
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void leaderKilledBetweenIntentAndDnsIsFinishedExactlyOnceBySuccessor() {
    assertThat(cases.leaderKilledBetweenIntentAndDns()).isEmpty();
  }

  @Test
  @Order(2)
  void leaderFrozenPastItsLeaseHasItsLateWritesRefused() {
    assertThat(cases.frozenLeaderWritesAreRejected()).isEmpty();
  }

  @Test
  @Order(3)
  void aControllerPartitionedAwayNeverActsWhileTheOthersFailOver() {
    assertThat(cases.partitionedControllerNeverActs()).isEmpty();
  }

  @Test
  @Order(4)
  void randomSchedulesKeepEveryInvariant() {
    List<String> failures = new ArrayList<>();
    List<String> regions = sandbox.regions().stream().map(r -> r.name()).toList();
    for (long seed = 1; seed <= SCHEDULES; seed++) {
      var r = runner.run(CrashSchedule.random(seed, regions, 30_000));
      if (!r.violations().isEmpty()) {
        failures.add("seed " + seed + " " + r.schedule().ops() + ": " + r.violations());
      }
    }
    assertThat(failures).isEmpty();
  }
}
