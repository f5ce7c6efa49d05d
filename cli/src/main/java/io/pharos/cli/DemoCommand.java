package io.pharos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.cli.demo.RegionLossDemo;
import io.pharos.cli.demo.Timeline;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.sandbox.LocalSandbox;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos demo}: three regions on loopback (per region an app, an agent and a controller,
 * each its own process), a hard loss of one region, and the measured timeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local 3-region sandbox, kill one region's app, and report the failover timeline.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--region", defaultValue = "us-east", description = "region to lose (default: ${DEFAULT-VALUE})")
  String victim;

  @Option(names = "--json", description = "print the report as JSON on stdout (progress goes to stderr)")
  boolean json;

  @Option(names = "--run-dir", description = "where to keep config, logs and Raft data (default: run/demo-<time>)")
  Path runDir;

  @Option(names = "--keep", description = "leave the sandbox running after the report (Ctrl-C stops it)")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintStream progress = json ? System.err : System.out;
    Path dir = runDir != null ? runDir
        : Path.of("run", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    progress.println("Pharos demo: 3 regions on loopback, embedded DNS, hard loss of region " + victim);
    progress.println("run directory: " + dir + " (config, logs, Raft data)");
    try (LocalSandbox sandbox = LocalSandbox.builder(dir, Launcher.ofCodeSource(Pharos.class)).build()) {
      sandbox.region(victim);
      progress.println("starting " + sandbox.regions().size() * 3 + " processes: an app, an agent and a controller"
          + " per region " + sandbox.regions().stream().map(r -> r.name()).toList());
      sandbox.start();
      RegionLossDemo demo = new RegionLossDemo(sandbox, progress);
      demo.awaitReady(Duration.ofSeconds(120));
      Timeline t = demo.run(victim);
      boolean ok = t.get("DNS changed (committed)").withinTarget();
      if (json) {
        ObjectNode report = t.json(new ObjectMapper());
        report.put("result", ok ? "within-target" : "missed-target");
        System.out.println(report.toPrettyString());
      } else {
        progress.println();
        progress.print(t.text());
        progress.println(ok
            ? String.format("RESULT: failover within target (DNS changed %.3f s after the fault, target ≤ %d s)",
                t.get("DNS changed (committed)").sinceFaultMs() / 1000.0, RegionLossDemo.DNS_TARGET_MS / 1000)
            : "RESULT: failover MISSED its target (≤ " + RegionLossDemo.DNS_TARGET_MS / 1000
                + " s to DNS change); logs: " + sandbox.processes().logDir());
      }
      if (keep) {
        progress.println("sandbox left running (--keep); Ctrl-C stops it");
        new java.util.concurrent.CountDownLatch(1).await();
      }
      progress.println("stopping " + sandbox.processes().processes().size() + " processes");
      return ok ? 0 : 1;
    }
  }
}
