package io.pharos.cli;

import io.pharos.cli.bench.RegionCutBench;
import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-cut}: a killed region against a partitioned one, repeated, with percentiles. */
@Command(name = "bench-cut", hidden = true, mixinStandardHelpOptions = true,
    description = "Repeat a region loss N times on one namespace sandbox - app killed, region partitioned, or"
        + " the leader's region partitioned - and print percentiles (used by bench/region-cut.sh).")
final class BenchCutCommand implements Callable<Integer> {
  @Option(names = "--mode", required = true, description = "killed, partitioned or leader_partitioned")
  RegionCutBench.Mode mode;

  @Option(names = "--runs", defaultValue = "20", description = "number of runs")
  int runs;

  @Option(names = "--markdown", description = "write the Markdown summary to this file")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || runs > 1000) {
      throw new IllegalArgumentException("--runs must be 1..1000");
    }
    Path dir = Path.of("run", "bench-cut", mode.name().toLowerCase() + "-" + System.currentTimeMillis());
    try (LocalSandbox sandbox = LocalSandbox.builder(dir, PharosNodes.launcher()).network(SandboxNetwork.NETNS)
        .policy(RegionLossBench.POLICY).build().start()) {
      sandbox.awaitHealthy(Duration.ofSeconds(180));
      var results = new RegionCutBench(sandbox, System.out).run(mode, runs);
      String md = RegionCutBench.markdown(mode, results);
      System.out.println();
      System.out.print(md);
      if (markdown != null) {
        Files.writeString(markdown, md);
      }
      return 0;
    }
  }
}
