package io.pharos.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioParser;
import io.pharos.testkit.FaultServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's verdicts against a scripted controller timeline: a no-failover drill really fails on a failover. */
class DrillRunnerTest {
  private static final String NO_FAILOVER = """
      name: quiet
      steps:
        - inject: { id: slow, fault: endpoint, target: app@b, latency: 10ms }
        - wait: { for: 3s }
        - revert: slow
      expect: { noFailover: true }
      """;

  @TempDir
  Path dir;

  private DrillReport run(FakeEnvironment env, Scenario s) {
    return new DrillRunner(env, new DrillRunner.Options(false, false, dir, false, Duration.ofSeconds(10)),
        DrillListener.NONE).run(s);
  }

  @Test
  void aQuietDrillPasses() throws Exception {
    try (FakeEnvironment env = new FakeEnvironment()) {
      DrillReport r = run(env, ScenarioParser.parse(NO_FAILOVER, "quiet.yaml", Map.of()));
      assertThat(r.status()).isEqualTo("PASS");
      assertThat(r.faults()).singleElement().satisfies(f -> assertThat(f.revertedAt()).isNotNull());
      assertThat(env.app("b").fault()).isEqualTo(FaultServer.Fault.NONE);
    }
  }

  @Test
  void anOperatorStepGoesToTheLeaderWithTheTokenAndARefusalFailsTheDrillWithTheReason() throws Exception {
    String drill = """
        name: evac
        steps:
          - operator: { command: evacuate, region: b, steps: [50, 0], hold: 3s }
        expect: { noFailover: true }
        """;
    try (FakeEnvironment env = new FakeEnvironment()) {
      DrillReport ok = run(env, ScenarioParser.parse(drill, "evac.yaml", Map.of()));
      assertThat(ok.status()).as(ok.summary()).isEqualTo("PASS");
      assertThat(env.operatorCalls).singleElement().satisfies(c -> assertThat(c)
          .startsWith("POST /v1/regions/b/evacuate auth=Bearer test-only-operator-token")
          .contains("\"steps\":[50,0]").contains("\"hold\":\"3s\"").contains("\"reason\":\"drill evac (drill run ")
          .doesNotContain("\"by\""));
      assertThat(ok.steps().get(0).detail()).contains("committed at 1:7");

      env.operatorAnswer = new String[] {"400", "{\"error\":\"not evacuating b: c is SUSPECT\"}"};
      DrillReport refused = run(env, ScenarioParser.parse(drill, "evac.yaml", Map.of()));
      assertThat(refused.status()).isEqualTo("FAIL");
      assertThat(refused.deviations()).anyMatch(d -> d.contains("the controller refused evacuate b (HTTP 400): not"
          + " evacuating b: c is SUSPECT"));
    }
  }

  @Test
  void aFailoverDuringANoFailoverDrillAbortsItAndFailsIt() throws Exception {
    try (FakeEnvironment env = new FakeEnvironment()) {
      Scenario s = ScenarioParser.parse(NO_FAILOVER, "quiet.yaml", Map.of());
      CompletableFuture<DrillReport> r = CompletableFuture.supplyAsync(() -> run(env, s));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> env.app("b").fault().latencyMs()
          == 10);
      env.event("DECIDED", "b", "d1", "FAILOVER (automatic): b is down");
      DrillReport report = r.get();
      assertThat(report.status()).isEqualTo("ABORTED");
      assertThat(report.summary()).contains("unexpected failover of b");
      assertThat(report.deviations()).anyMatch(d -> d.contains("expected no failover, but b was failed over"));
      assertThat(env.app("b").fault()).isEqualTo(FaultServer.Fault.NONE);
    }
  }

  @Test
  void aLeaseTheWatchdogRevertedAbortsTheDrillWithTheReason() throws Exception {
    String drill = """
        name: stalled
        steps:
          - inject: { id: slow, fault: endpoint, target: app@b, latency: 10ms }
          - wait: { for: 30s }
          - revert: slow
        expect: { noFailover: true }
        """;
    try (FakeEnvironment env = new FakeEnvironment()) {
      Scenario s = ScenarioParser.parse(drill, "stalled.yaml", Map.of());
      CompletableFuture<DrillReport> r = CompletableFuture.supplyAsync(() -> run(env, s));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> env.app("b").fault().latencyMs()
          == 10);
      // what the watchdog does when it took the runner for dead (a long GC pause, a CPU stall)
      Path lease;
      try (var files = java.nio.file.Files.list(dir)) {
        lease = files.filter(p -> p.getFileName().toString().matches("lease-.*\\.json")).findFirst().orElseThrow();
      }
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var content = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(java.nio.file.Files.readString(lease));
      content.put("state", "reverted-by-watchdog");
      java.nio.file.Files.writeString(lease, content.toString());

      DrillReport report = r.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(report.status()).isEqualTo("ABORTED");
      assertThat(report.summary()).contains("watchdog reverted");
      assertThat(json.readTree(java.nio.file.Files.readString(lease)).path("state").asText())
          .as("the runner never writes a reverted lease back to running").isEqualTo("reverted-by-watchdog");
      assertThat(env.app("b").fault()).isEqualTo(FaultServer.Fault.NONE);
    }
  }

  @Test
  void withoutAbortingTheVerdictIsStillFail() throws Exception {
    try (FakeEnvironment env = new FakeEnvironment()) {
      Scenario s = ScenarioParser.parse(NO_FAILOVER + "abort: { unexpectedFailover: false }\n", "q.yaml", Map.of());
      env.event("DECIDED", "b", "d1", "FAILOVER (automatic): b is down");
      // the event is older than the drill: it must not count
      DrillReport quiet = run(env, s);
      assertThat(quiet.status()).isEqualTo("PASS");
      CompletableFuture<DrillReport> r = CompletableFuture.supplyAsync(() -> run(env, s));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> env.app("b").fault().latencyMs()
          == 10);
      env.event("DECIDED", "b", "d2", "FAILOVER (automatic): b is down");
      env.event("DNS_COMMITTED", "b", "d2", "weights");
      env.event("DNS_COMMITTED", "b", "d2", "weights again");
      DrillReport report = r.get();
      assertThat(report.status()).isEqualTo("FAIL");
      assertThat(report.deviations()).anyMatch(d -> d.contains("expected no failover"))
          .anyMatch(d -> d.contains("decision d2 changed DNS 2 times (exactly once expected)"));
    }
  }

  @Test
  void failoversSinceAnAlertCountOnlyThoseDecidedAfterItWasRaised() throws Exception {
    String yaml = """
        name: since-alert
        steps:
          - inject: { id: slow, fault: endpoint, target: app@b, latency: 10ms }
          - wait: { until: alert, code: AllRegionsDown, within: 30s }
          - wait: { for: 1s }
          - assert: { that: failovers, code: AllRegionsDown, atMost: 0 }
          - revert: slow
        expect: { maxFailovers: 2 }
        abort: { unexpectedFailover: false }
        """;
    Scenario s = ScenarioParser.parse(yaml, "since.yaml", Map.of());
    for (boolean afterToo : new boolean[] {false, true}) {
      try (FakeEnvironment env = new FakeEnvironment()) {
        CompletableFuture<DrillReport> r = CompletableFuture.supplyAsync(() -> run(env, s));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> env.app("b").fault().latencyMs() == 10);
        env.event("DECIDED", "b", "d1", "FAILOVER (automatic): b is down");
        long raised = env.event("ALERT", null, null, "AllRegionsDown", "CRITICAL: every region is failing");
        if (afterToo) {
          org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > raised);
          env.event("DECIDED", "c", "d2", "FAILOVER (automatic): c is down");
        }
        DrillReport report = r.get();
        if (afterToo) {
          assertThat(report.status()).isEqualTo("FAIL");
          assertThat(report.deviations()).anyMatch(d -> d.contains("1 failover since AllRegionsDown was raised (1 before it)"));
        } else {
          assertThat(report.status()).as("the failover decided before the alert does not count").isEqualTo("PASS");
        }
      }
    }
  }

  @Test
  void aPartitionNeedsTheNamespaceNetworkAndIsRefusedUpFront() throws Exception {
    try (FakeEnvironment env = new FakeEnvironment()) {
      Scenario s = ScenarioParser.parse("""
          name: cut
          steps:
            - inject: { id: cut, fault: partition, sideA: [b], sideB: [a, c] }
          expect: { noFailover: true }
          """, "cut.yaml", Map.of());
      assertThatThrownBy(() -> run(env, s)).isInstanceOf(DrillRefusedException.class)
          .hasMessageContaining("needs a local sandbox on the namespace network");
      assertThat(env.app("b").fault()).isEqualTo(FaultServer.Fault.NONE);
    }
  }
}
