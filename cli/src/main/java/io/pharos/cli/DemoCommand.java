package io.pharos.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.chaos.drill.ConsoleProgress;
import io.pharos.chaos.drill.DrillEnvironments;
import io.pharos.chaos.drill.DrillRunner;
import io.pharos.chaos.drill.SandboxEnvironment;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillStore;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioLibrary;
import io.pharos.testkit.sandbox.LocalSandbox;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos demo}: three regions on loopback (per region an app, an agent and a controller,
 * each its own process) and the built-in hard-region-loss drill through the drill runner: a kill
 * -9 of one region's app, the measured timeline, and the drill's report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local 3-region sandbox, run the hard-region-loss drill, and print its report.")
final class DemoCommand implements Callable<Integer> {
  static final long DNS_TARGET_MS = 5_000;

  @Option(names = "--region", defaultValue = "us-east", description = "region to lose (default: ${DEFAULT-VALUE})")
  String victim;

  @Option(names = "--json", description = "print the report as JSON on stdout (progress goes to stderr)")
  boolean json;

  @Option(names = "--run-dir", description = "where to keep config, logs, Raft data and the report (default: run/demo-<time>)")
  Path runDir;

  @Option(names = "--keep", description = "leave the sandbox running after the report (Ctrl-C stops it)")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintStream progress = json ? System.err : System.out;
    Path dir = runDir != null ? runDir
        : Path.of("run", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Scenario s = ScenarioLibrary.load("hard-region-loss", Map.of("region", victim));
    progress.println("Pharos demo: 3 regions on loopback, embedded DNS, the hard-region-loss drill on region " + victim);
    progress.println("run directory: " + dir + " (config, logs, Raft data, report)");
    LocalSandbox sandbox = LocalSandbox.builder(dir, PharosNodes.launcher())
        .policy(DrillEnvironments.POLICY).build();
    try (SandboxEnvironment env = new SandboxEnvironment(sandbox, true)) {
      sandbox.region(victim);
      DrillReport r = new DrillRunner(env, new DrillRunner.Options(false, false, dir.resolve("drill"), true,
          Duration.ofSeconds(120)), ConsoleProgress.forStdout(progress)).run(s);
      Path saved = new DrillStore(dir.resolve("drills")).save(r);
      io.pharos.core.report.Mark dns = r.mark("dns-committed").orElseThrow();
      boolean ok = dns.happened() && dns.sinceFaultMs() <= DNS_TARGET_MS;
      if (json) {
        ObjectNode out = (ObjectNode) DrillReport.mapper().readTree(r.toJson());
        out.put("result", ok ? "within-target" : "missed-target");
        out.put("reportDir", saved.toString());
        System.out.println(out.toPrettyString());
      } else {
        progress.println();
        progress.print(DrillText.timeline(r));
        progress.println(ok
            ? String.format("RESULT: failover within target (DNS changed %.3f s after the fault, target ≤ %d s)",
                dns.sinceFaultMs() / 1000.0, DNS_TARGET_MS / 1000)
            : "RESULT: failover MISSED its target (≤ " + DNS_TARGET_MS / 1000 + " s to DNS change); logs: "
                + sandbox.processes().logDir());
        progress.println("drill: " + r.summary());
      }
      progress.println("report: " + saved.resolve("report.html") + " (also report.md, report.json)");
      if (keep) {
        progress.println("sandbox left running (--keep); run more drills against it with `pharos drill run <drill>"
            + " --attach " + sandbox.descriptorFile() + "`; Ctrl-C stops it");
        new java.util.concurrent.CountDownLatch(1).await();
      }
      progress.println("stopping " + sandbox.processes().processes().size() + " processes");
      return ok ? 0 : 1;
    }
  }
}
