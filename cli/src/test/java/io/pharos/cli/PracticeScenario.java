package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.chaos.drill.DeploymentEnvironment;
import io.pharos.chaos.drill.DrillRefusedException;
import io.pharos.chaos.drill.SandboxEnvironment;
import io.pharos.chaos.drill.SandboxReadiness;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioParser;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Practice mode against the sandbox seen as a deployment (only its URLs): the guards refuse
 * without --confirm, with a blast radius over one region, and while a region is unhealthy; a
 * real incident in another region during the drill stops it and reverts its fault.
 */
final class PracticeScenario {
  private static final String DRILL = """
      name: practice-slow-endpoint
      steps:
        - inject: { id: slow, fault: endpoint, target: app@us-east, latency: 100ms, lease: 2m }
        - wait: { for: 90s }
        - revert: slow
      expect: { noFailover: true }
      """;

  private final LocalSandbox sandbox;
  private final SandboxEnvironment sandboxEnv;
  private final Path out;

  PracticeScenario(LocalSandbox sandbox, SandboxEnvironment sandboxEnv, Path out) {
    this.sandbox = sandbox;
    this.sandboxEnv = sandboxEnv;
    this.out = out.resolve("practice");
  }

  void run() {
    Scenario s = ScenarioParser.parse(DRILL, "practice.yaml", Map.of());
    // the runner's token, as PHAROS_TOKEN gives it to `pharos drill run` against a deployment
    try (DeploymentEnvironment prod = new DeploymentEnvironment(deployment(), sandbox.operatorToken())) {
      assertThatThrownBy(() -> DrillSupport.run(prod, s, out, true, false))
          .isInstanceOf(DrillRefusedException.class).hasMessageContaining("without --confirm");
      assertThatThrownBy(() -> DrillSupport.run(prod, s, out, false, true))
          .isInstanceOf(DrillRefusedException.class).hasMessageContaining("practice mode only");
      Scenario wide = ScenarioParser.parse("""
          name: practice-two-regions
          steps:
            - inject: { id: slow, fault: endpoint, target: app@us-east, latency: 100ms }
            - inject: { id: slow2, fault: endpoint, target: app@eu-west, latency: 100ms }
            - wait: { for: 90s }
          expect: { noFailover: true }
          """, "wide.yaml", Map.of());
      // the blast-radius guard runs after the health guard: start from a healthy sandbox (the drills
      // before this one leave it recovering, slower on a busy machine)
      SandboxReadiness.await(prod, Duration.ofSeconds(180), line -> { });
      assertThatThrownBy(() -> DrillSupport.run(prod, wide, out, true, true))
          .isInstanceOf(DrillRefusedException.class).hasMessageContaining("blast radius to one region");

      String app = sandbox.region("us-east").appUrl();
      // practice refuses unless every region is healthy: start from there (the drills before this
      // one leave the sandbox recovering, slower on a busy machine)
      SandboxReadiness.await(prod, Duration.ofSeconds(180), line -> { });
      CompletableFuture<DrillReport> drill = CompletableFuture.supplyAsync(() -> DrillSupport.run(prod, s, out, true,
          true));
      await().atMost(Duration.ofSeconds(60)).until(() -> FaultServer.Fault.parse(Http.get(app + "/_fault")
          .orElseThrow().body()).latencyMs() == 100);
      SandboxRegion other = sandbox.region("ap-south");
      other.app().kill(); // a real incident in a region the drill does not touch
      DrillReport r = drill.get(60, TimeUnit.SECONDS);
      System.out.println("practice drill: " + DrillSupport.describe(r));
      assertThat(r.status()).isEqualTo("ABORTED");
      // whichever the runner notices first: ap-south unhealthy, or its failover
      assertThat(r.summary()).contains("ap-south").contains("real incident");
      assertThat(r.faults()).allMatch(f -> f.revertedAt() != null);
      assertThat(FaultServer.Fault.parse(Http.get(app + "/_fault").orElseThrow().body()))
          .isEqualTo(FaultServer.Fault.NONE);
      assertThatThrownBy(() -> DrillSupport.run(prod, s, out, true, true))
          .isInstanceOf(DrillRefusedException.class).hasMessageContaining("not every region is healthy");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the practice drill did not stop by itself", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      SandboxRegion other = sandbox.region("ap-south");
      if (!other.app().isAlive()) {
        sandbox.startApp(other);
      }
      DrillSupport.settle(sandboxEnv);
    }
  }

  private Scenario.Deployment deployment() {
    Map<String, List<String>> addresses = new LinkedHashMap<>();
    Map<String, String> apps = new LinkedHashMap<>();
    for (SandboxRegion r : sandbox.regions()) {
      addresses.put(r.name(), List.of(r.target()));
      apps.put(r.name(), r.appUrl());
    }
    return new Scenario.Deployment("sandbox-as-deployment", sandbox.regions().stream().map(SandboxRegion::apiUrl)
        .toList(), sandbox.regions().stream().map(r -> r.dnsAddress().toString()).toList(), sandbox.recordName(),
        addresses, apps, Map.of(), null);
  }
}
