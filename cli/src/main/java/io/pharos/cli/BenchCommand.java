package io.pharos.cli;

import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench region-loss}: the demo scenario repeated on one sandbox, with percentiles. */
@Command(name = "bench-region-loss", hidden = true, mixinStandardHelpOptions = true,
    description = "Repeat the demo's region loss N times on one sandbox and print percentiles (used by bench/).")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--runs", defaultValue = "20", description = "number of region losses")
  int runs;

  @Option(names = "--markdown", description = "write the Markdown summary to this file")
  Path markdown;

  @Option(names = "--run-dir", defaultValue = "run/bench-region-loss", description = "sandbox directory")
  Path runDir;

  @Option(names = "--probes", description = "the sandbox's probes: section as a YAML flow mapping (default: the"
      + " sandbox's, probes every 1 s)")
  String probes;

  @Option(names = "--healthy-seconds", defaultValue = "0", description = "after the runs, leave the sandbox healthy"
      + " this long and count the decisions made meanwhile (false failovers)")
  int healthySeconds;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || runs > 1000) {
      throw new IllegalArgumentException("--runs must be 1..1000");
    }
    if (healthySeconds < 0 || healthySeconds > 7200) {
      throw new IllegalArgumentException("--healthy-seconds must be 0..7200");
    }
    var builder = LocalSandbox.builder(runDir.resolve(String.valueOf(System.currentTimeMillis())),
        PharosNodes.launcher()).policy(RegionLossBench.POLICY);
    try (LocalSandbox sandbox = (probes == null ? builder : builder.probes(probes)).build().start()) {
      sandbox.awaitHealthy(Duration.ofSeconds(180));
      RegionLossBench bench = new RegionLossBench(sandbox, System.out);
      List<RegionLossBench.Run> results = bench.run(runs);
      String md = RegionLossBench.markdown(results);
      if (healthySeconds > 0) {
        md += RegionLossBench.markdown(bench.healthy(Duration.ofSeconds(healthySeconds)));
      }
      System.out.println();
      System.out.print(md);
      if (markdown != null) {
        Files.writeString(markdown, md);
      }
      return 0;
    }
  }
}
