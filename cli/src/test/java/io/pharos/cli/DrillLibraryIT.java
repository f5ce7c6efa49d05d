package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.drill.DrillEnvironments;
import io.pharos.chaos.drill.SandboxEnvironment;
import io.pharos.chaos.observe.DnsQuery;
import io.pharos.chaos.observe.EventFeed;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioLibrary;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxNetwork;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nine real processes from the distribution jar, each in its own network namespace, shared by
 * every scenario below in order (each leaves the sandbox recovered for the next): the original
 * multi-process checks (monitoring partition, region loss), then every built-in drill through
 * the drill runner asserting its expected outcome (the evacuation drill: each step committed in
 * order a hold apart, the region out, failed back) — pending drills are reported as such with
 * their reason — then practice mode and the runner killed mid-drill ({@link RunnerKilledScenario}).
 * Last, the shared sandbox is stopped and the drills that need a sandbox of their own (a Route 53
 * sandbox: {@code environment: {sandbox: {dns: route53}}}) run, one sandbox at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillLibraryIT {
  static final Path OUT = Path.of("target", "drill-it");
  LocalSandbox sandbox;
  SandboxEnvironment env;
  long testStart;

  @BeforeAll
  void start() {
    assertThat(NetnsNetwork.unavailableReason()).as("the drill ITs need network namespaces (root, iproute2,"
        + " iptables; .ci/run installs them)").isEmpty();
    sandbox = LocalSandbox.builder(OUT.resolve("sandbox-" + System.currentTimeMillis()),
        PharosNodes.launcher(Path.of("target", "pharos.jar"))).network(SandboxNetwork.NETNS).policy(DrillEnvironments.POLICY)
        .build().start();
    env = new SandboxEnvironment(sandbox, false);
    testStart = System.currentTimeMillis();
    DrillSupport.settle(env);
  }

  @AfterAll
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void freezingOnlyARegionsAgentIsAMonitoringPartitionNotAFailover() {
    SandboxRegion b = sandbox.region("us-east");
    long t0 = System.currentTimeMillis();
    b.agent().freeze();
    try {
      EventFeed feed = feed(t0);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        feed.poll();
        return feed.all().stream().anyMatch(e -> e.type() == EventType.ALERT
            && "MonitoringPartition".equals(e.code()) && "us-east".equals(e.region()));
      });
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> noIntentSince(t0));
      assertWeightsNeverAllZero();
      assertThat(answer()).contains(b.target());
    } finally {
      b.agent().resume();
    }
    DrillSupport.settle(env);
    assertThat(noIntentSince(t0)).isTrue();
  }

  @Test
  @Order(2)
  void killingARegionsAppFailsItOverToTheOthers() {
    SandboxRegion b = sandbox.region("us-east");
    long t0 = System.currentTimeMillis();
    b.app().kill();
    EventFeed feed = feed(t0);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      feed.poll();
      return feed.all().stream().anyMatch(e -> e.type() == EventType.COMPLETED);
    });
    List<PharosEvent> events = feed.all();
    PharosEvent decided = events.stream().filter(e -> e.type() == EventType.DECIDED).findFirst().orElseThrow();
    assertThat(decided.region()).isEqualTo("us-east");
    assertThat(events.stream().map(PharosEvent::type).filter(t -> t != EventType.ALERT))
        .containsSubsequence(EventType.DETECTED, EventType.DECIDED, EventType.FENCED, EventType.DNS_COMMITTED,
            EventType.COMPLETED);
    for (SandboxRegion r : sandbox.regions()) {
      JsonNode s = sandbox.status(r).orElseThrow();
      assertThat(s.path("zone").path("weights").path(sandbox.recordName()).path("us-east").asInt()).isZero();
      assertThat(DnsQuery.answer(r.dnsAddress(), sandbox.recordName(), "A").orElseThrow())
          .doesNotContain(b.target())
          .contains(sandbox.region("eu-west").target(), sandbox.region("ap-south").target());
    }
    assertWeightsNeverAllZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(b.agentUrl() + "/v1/mode")
        .map(r -> "read-only".equals(r.json().path("mode").asText())).orElse(false));
    assertThat(Http.get(sandbox.region("eu-west").agentUrl() + "/v1/mode").orElseThrow().json().path("mode").asText())
        .isEqualTo("read-write");
    long dnsAt = events.stream().filter(e -> e.type() == EventType.DNS_COMMITTED).findFirst().orElseThrow().at();
    System.out.printf("kill -9 of us-east's app: DNS committed %d ms after the fault%n", dnsAt - t0);
    sandbox.startApp(b);
    DrillSupport.settle(env);
  }

  /** Every built-in drill, in library order; the no-failover ones fail here if anything fails over. */
  @TestFactory
  @Order(3)
  Stream<DynamicTest> everyBuiltInDrillHasItsExpectedOutcome() {
    return ScenarioLibrary.NAMES.stream().filter(DrillLibraryIT::sharesTheSandbox).map(name -> DynamicTest.dynamicTest(
        name, () -> {
      Scenario s = ScenarioLibrary.load(name, Map.of());
      DrillReport r = DrillSupport.run(env, s, OUT, false, false);
      if (s.pending() != null) {
        assertThat(r.status()).isEqualTo("PENDING");
        assertThat(r.pendingReason()).isNotBlank();
        System.out.println("PENDING drill " + name + ": " + r.pendingReason());
        Assumptions.abort("PENDING: " + r.pendingReason());
      }
      DrillSupport.record(OUT.resolve("timings.md"), r);
      try {
        assertThat(r.status()).as(DrillSupport.describe(r)).isEqualTo("PASS");
        assertThat(r.faults()).as("every fault reverted").allMatch(f -> f.revertedAt() != null);
        if (s.expect().noFailover()) {
          assertThat(r.actual()).startsWith("no failover");
        }
        if (!s.expect().failoverRegions().isEmpty()) {
          assertThat(r.mark("dns-committed").orElseThrow().happened()).isTrue();
        }
        if (!s.expect().evacuated().isEmpty()) {
          assertEvacuatedStepByStepAndFailedBack(s, r);
        }
      } finally {
        DrillSupport.settle(env);
      }
    }));
  }

  /**
   * The evacuation drill: every planned step committed to DNS once, in order, at least a hold
   * apart, the region out, then failed back on command — and nothing failed over.
   */
  private static void assertEvacuatedStepByStepAndFailedBack(Scenario s, DrillReport r) {
    String region = s.expect().evacuated().get(0);
    Scenario.Operator evacuate = s.steps().stream().filter(st -> st instanceof Scenario.Operator o
        && o.command().equals("evacuate")).map(st -> (Scenario.Operator) st).findFirst().orElseThrow();
    int n = evacuate.steps().size();
    assertThat(r.actual()).startsWith("no failover").contains("evacuated " + region + " in " + n + " steps, failed back");
    List<io.pharos.core.report.Mark> steps = java.util.stream.IntStream.rangeClosed(1, n)
        .mapToObj(k -> r.mark("evacuation-step-" + k).orElseThrow()).toList();
    assertThat(steps).allMatch(io.pharos.core.report.Mark::happened);
    assertThat(r.mark("evacuation-step-" + (n + 1))).as("no step beyond the plan").isEmpty();
    for (int k = 1; k < n; k++) {
      assertThat(steps.get(k).at() - steps.get(k - 1).at()).as("hold between step " + k + " and " + (k + 1))
          .isGreaterThanOrEqualTo(evacuate.hold().toMillis());
    }
    io.pharos.core.report.Mark out = r.mark("evacuated").orElseThrow();
    io.pharos.core.report.Mark back = r.mark("failback-dns-committed").orElseThrow();
    assertThat(out.happened()).isTrue();
    assertThat(back.happened()).isTrue();
    assertThat(back.at()).isGreaterThan(out.at());
    assertThat(r.events()).noneMatch(e -> "DECIDED".equals(e.type()) && e.detail() != null
        && e.detail().startsWith("FAILOVER"));
    StringBuilder t = new StringBuilder("evacuation drill timings (from the evacuate command):");
    steps.forEach(m -> t.append(String.format(" step %s %.3f s;", m.key().substring(m.key().lastIndexOf('-') + 1),
        m.sinceFaultMs() / 1000.0)));
    t.append(String.format(" out %.3f s; failback DNS %.3f s", out.sinceFaultMs() / 1000.0,
        back.sinceFaultMs() / 1000.0));
    System.out.println(t);
  }

  @Test
  @Order(4)
  void practiceMode() {
    new PracticeScenario(sandbox, env, OUT).run();
  }

  @Test
  @Order(5)
  void killingTheRunnerMidDrillLeavesNoFaultInjected() throws Exception {
    new RunnerKilledScenario(sandbox, env, OUT).run();
  }

  /**
   * The hostile-neighbour suite: every attack of issue 14 from the controllers' network while a
   * region is lost ({@link HostileNeighbourScenario}). Last on the shared sandbox: its token guesses
   * lock this test's address out of one controller's API for a minute.
   */
  @Test
  @Order(6)
  void anAttackerOnTheControllersNetworkChangesNothingAndARegionLossStillFailsOver() throws Exception {
    new HostileNeighbourScenario(sandbox, env).run();
  }

  /**
   * Every secret of the shared sandbox's run (master secret, region keys, API tokens, break-glass
   * codes, the controllers' private key) searched in every file the run wrote outside the secrets
   * directory itself: process logs, drill reports, runner work directories. None may appear.
   */
  @Test
  @Order(7)
  void noSecretOfTheRunIsInAnyLogOrReport() throws Exception {
    Map<String, String> secrets = new java.util.LinkedHashMap<>();
    secrets.put("master secret", sandbox.controllerEnv().get(io.pharos.core.config.SecurityConfig
        .DEFAULT_MASTER_SECRET_ENV));
    for (SandboxRegion r : sandbox.regions()) {
      String line = sandbox.agentEnv(r.name()).get(io.pharos.core.config.SecurityConfig.DEFAULT_REGION_KEY_ENV);
      secrets.put("region key of " + r.name(), line.substring(line.lastIndexOf(':') + 1));
    }
    var s = sandbox.secrets();
    for (String token : List.of(s.viewer(), s.operator(), s.admin())) {
      secrets.put("token " + token.substring(0, token.lastIndexOf('.')), token.substring(token.lastIndexOf('.') + 1));
    }
    for (int i = 0; i < s.breakGlassCodes().size(); i++) {
      secrets.put("break-glass code " + (i + 1), s.breakGlassCodes().get(i));
    }
    String pem = java.nio.file.Files.readString(s.dir().resolve("controller-key.pem"));
    secrets.put("controllers' private key", pem.lines().filter(l -> !l.startsWith("-----"))
        .collect(java.util.stream.Collectors.joining()));
    assertThat(secrets.values()).allSatisfy(v -> assertThat(v).hasSizeGreaterThan(15));
    List<Path> files;
    try (Stream<Path> walk = java.nio.file.Files.walk(OUT)) {
      Path secretsDir = s.dir().toAbsolutePath().normalize();
      files = walk.filter(java.nio.file.Files::isRegularFile)
          .filter(f -> !f.toAbsolutePath().normalize().startsWith(secretsDir)).toList();
    }
    List<String> found = new java.util.ArrayList<>();
    long bytes = 0;
    for (Path f : files) {
      byte[] content = java.nio.file.Files.readAllBytes(f);
      bytes += content.length;
      String text = new String(content, java.nio.charset.StandardCharsets.ISO_8859_1);
      secrets.forEach((what, value) -> {
        if (text.contains(value)) {
          found.add(what + " in " + f);
        }
      });
    }
    System.out.printf("secret grep: %d secrets searched in %d files (%d MB) of the run%n", secrets.size(),
        files.size(), bytes >> 20);
    assertThat(files).as("the run wrote logs").isNotEmpty();
    assertThat(found).as("secrets found in logs or reports").isEmpty();
  }

  /** Drills on the shared (embedded DNS) sandbox; the others get a sandbox of their own in {@link #drillsOnASandboxOfTheirOwn}. */
  static boolean sharesTheSandbox(String name) {
    return ScenarioLibrary.load(name, Map.of()).environment().sharedSandbox();
  }

  /**
   * The drills that ask for another sandbox (Route 53 on moto_server behind the runner's API
   * proxy), each on its own, started and stopped by the runner, after the shared one is stopped
   * so that the machine runs one sandbox at a time.
   */
  @TestFactory
  @Order(8)
  Stream<DynamicTest> drillsOnASandboxOfTheirOwn() {
    List<String> own = ScenarioLibrary.NAMES.stream().filter(n -> !sharesTheSandbox(n)).toList();
    assertThat(own).as("the Route 53 drill runs on its own sandbox").contains("dns-provider-throttled");
    return own.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      if (sandbox != null) {
        sandbox.close();
        sandbox = null;
      }
      Scenario s = ScenarioLibrary.load(name, Map.of());
      DrillReport r;
      try (var owned = DrillEnvironments.create(s, null, "netns", OUT.resolve("own-" + name + "-"
          + System.currentTimeMillis()), PharosNodes.launcher(Path.of("target", "pharos.jar")))) {
        r = DrillSupport.run(owned, s, OUT, false, false);
      }
      DrillSupport.record(OUT.resolve("timings.md"), r);
      assertThat(r.status()).as(DrillSupport.describe(r)).isEqualTo("PASS");
      assertThat(r.faults()).as("every fault reverted").allMatch(f -> f.revertedAt() != null);
      assertThat(r.mark("dns-committed").orElseThrow().happened()).isTrue();
      if (s.steps().stream().anyMatch(st -> st instanceof Scenario.Inject i && i.fault().equals("dns-provider"))) {
        assertProviderApi(r);
      }
    }));
  }

  /** Committed despite throttling: within the budget, exactly one change, retries visible. */
  private static void assertProviderApi(DrillReport r) {
    DrillReport.ProviderApi api = r.providerApi();
    assertThat(api).as("the report's DNS provider API section").isNotNull();
    System.out.printf("%s: fault -> DNS committed %.3f s; %d API calls (%d throttled, %d forwarded), %d retries by the"
        + " controllers, busiest second %d calls (%d within %d ms; budget %d/s), %d change batch(es) accepted"
        + " (+%d fencing-only) for %d decision(s)%n",
        r.scenario(), r.mark("dns-committed").orElseThrow().sinceFaultMs() / 1000.0, api.requests(), api.throttled(),
        api.forwarded(), api.controllerRetries(), api.peakPerSecond(), api.peakAllowingJitter(), 1000 - api.jitterMs(),
        api.budgetPerSecond(), api.changesAccepted(), api.fencingOnlyAccepted(),
        api.decisionsCommitted());
    assertThat(api.throttled()).as("the proxy throttled calls").isPositive();
    assertThat(api.controllerRetries()).as("retries counted by the controllers").isNotNull().isPositive();
    assertThat(api.budgetPerSecond()).isNotNull();
    assertThat(api.peakAllowingJitter()).as("calls in the busiest second (less the jitter allowance)")
        .isLessThanOrEqualTo(api.budgetPerSecond());
    assertThat(api.decisionsCommitted()).as("decisions committed while throttled").isEqualTo(1);
    assertThat(api.changesAccepted()).as("ChangeResourceRecordSets changing weighted sets accepted by moto while"
        + " throttled").isEqualTo(1);
  }

  private EventFeed feed(long since) {
    return new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), since,
        sandbox.viewerToken());
  }

  private boolean noIntentSince(long t0) {
    EventFeed f = feed(t0);
    f.poll();
    return f.all().stream().noneMatch(e -> e.type() == EventType.DECIDED);
  }

  private Set<String> answer() {
    return DnsQuery.answer(sandbox.region("eu-west").dnsAddress(), sandbox.recordName(), "A").orElseThrow();
  }

  private void assertWeightsNeverAllZero() {
    for (SandboxRegion r : sandbox.regions()) {
      sandbox.status(r).ifPresent(s -> s.path("zone").path("weights").forEach(record -> {
        int sum = 0;
        for (JsonNode w : record) {
          sum += w.asInt();
        }
        assertThat(sum).as("sum of weights on " + r.controllerId()).isPositive();
      }));
    }
    for (PharosEvent e : feed(testStart).poll()) {
      if (e.type() == EventType.REJECTED) {
        assertThat(e.detail()).doesNotContain("every weight to zero");
      }
    }
  }
}
