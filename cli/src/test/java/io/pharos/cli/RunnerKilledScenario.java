package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pharos.chaos.drill.SandboxEnvironment;
import io.pharos.chaos.watchdog.LeaseFile;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.net.Iptables;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proc.ProcessGroup;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code pharos drill run} as its own process, attached to the shared sandbox, with three kinds
 * of fault in (a frozen agent, a partition, an endpoint fault); then kill -9 of the runner. The
 * detached watchdog must revert every one: the agent runs again, no iptables rule of the drill is
 * left in any namespace, the endpoint answers normally — and the sandbox recovers.
 */
final class RunnerKilledScenario {
  private static final String DRILL = """
      name: runner-killed
      steps:
        - inject: { id: frozen, fault: freeze, target: agent@ap-south, lease: 5m }
        - inject: { id: cut, fault: partition, sideA: [app@eu-west], sideB: [agent@us-east], lease: 5m }
        - inject: { id: slow, fault: endpoint, target: app@us-east, latency: 200ms, lease: 5m }
        - wait: { for: 3m }
        - revert: all
      expect: { maxFailovers: 0 }
      abort: { after: 4m, unexpectedFailover: false }
      """;

  private final LocalSandbox sandbox;
  private final SandboxEnvironment env;
  private final Path out;

  RunnerKilledScenario(LocalSandbox sandbox, SandboxEnvironment env, Path out) {
    this.sandbox = sandbox;
    this.env = env;
    this.out = out.resolve("runner-killed").toAbsolutePath();
  }

  void run() throws Exception {
    if (Files.exists(out)) {
      try (Stream<Path> old = Files.walk(out)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(out);
    Path scenario = out.resolve("runner-killed.yaml");
    Files.writeString(scenario, DRILL);
    Path runDir = out.resolve("run");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", Path.of("target", "pharos.jar").toAbsolutePath().toString(),
        "io.pharos.cli.Pharos", "drill", "run", scenario.toString(), "--attach", sandbox.descriptorFile().toString(),
        "--drills-dir", out.resolve("drills").toString(), "--run-dir", runDir.toString())
        .redirectErrorStream(true).redirectOutput(out.resolve("runner.log").toFile());
    pb.environment().put(ProcessGroup.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
    Process runner = pb.start();
    long agentPid = sandbox.region("ap-south").agent().pid();
    String app = sandbox.region("us-east").appUrl();
    NetnsNetwork.Descriptor net = sandbox.network().orElseThrow().descriptor();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> lease(runDir)
          .map(c -> "running".equals(c.state()) && c.faults().size() == 3).orElse(false));
      // the faults are really in
      assertThat(DrillSupport.procState(agentPid)).isEqualTo("T");
      assertThat(drillRules(net)).isNotEmpty();
      assertThat(FaultServer.Fault.parse(Http.get(app + "/_fault").orElseThrow().body()).latencyMs()).isEqualTo(200);
    } finally {
      runner.destroyForcibly(); // kill -9 of the drill runner, mid-drill
    }
    assertThat(runner.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(lease(runDir).orElseThrow().state()).isEqualTo("reverted-by-watchdog");
      assertThat(DrillSupport.procState(agentPid)).as("agent resumed").isNotEqualTo("T").isNotEmpty();
      assertThat(drillRules(net)).as("iptables rules of the drill").isEmpty();
      assertThat(FaultServer.Fault.parse(Http.get(app + "/_fault").orElseThrow().body()))
          .isEqualTo(FaultServer.Fault.NONE);
    });
    Path ack = ackFile(runDir);
    long watchdog = Long.parseLong(Files.readString(ack).strip());
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(watchdog).map(h -> !h.isAlive()).orElse(true));
    System.out.println("watchdog log:\n" + String.join("\n", DrillSupport.lines(Path.of(lease(runDir).isPresent()
        ? leaseFile(runDir).orElseThrow() + ".log" : "none"))));
    DrillSupport.settle(env);
  }

  private static List<String> drillRules(NetnsNetwork.Descriptor net) {
    List<String> rules = new ArrayList<>();
    for (NetnsNetwork.Node n : net.nodes()) {
      rules.addAll(Iptables.list(n.namespace(), "pharos:drill-"));
    }
    return rules;
  }

  private static Optional<Path> leaseFile(Path runDir) throws java.io.IOException {
    Path dir = runDir.resolve("drill");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("lease-.*\\.json")).findFirst();
    }
  }

  private static Path ackFile(Path runDir) throws java.io.IOException {
    Path lease = leaseFile(runDir).orElseThrow();
    return lease.resolveSibling(lease.getFileName() + ".watchdog");
  }

  private static Optional<LeaseFile.Content> lease(Path runDir) {
    try {
      Optional<Path> p = leaseFile(runDir);
      return p.isEmpty() ? Optional.empty() : Optional.of(LeaseFile.read(p.get()));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
