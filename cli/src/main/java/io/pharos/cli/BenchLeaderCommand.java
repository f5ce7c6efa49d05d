package io.pharos.cli;

import io.pharos.cli.bench.LeaderFailoverBench;
import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-leader}: leader kill -9 / SIGSTOP / region loss, repeated, with percentiles. */
@Command(name = "bench-leader", hidden = true, mixinStandardHelpOptions = true,
    description = "Repeat a leader failure N times on one sandbox and print percentiles (used by bench/).")
final class BenchLeaderCommand implements Callable<Integer> {
  @Option(names = "--mode", required = true, description = "kill, freeze or region")
  LeaderFailoverBench.Mode mode;

  @Option(names = "--runs", defaultValue = "20", description = "number of runs")
  int runs;

  @Option(names = "--markdown", description = "write the Markdown summary to this file")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || runs > 1000) {
      throw new IllegalArgumentException("--runs must be 1..1000");
    }
    Path dir = Path.of("run", "bench-leader", mode.name().toLowerCase() + "-" + System.currentTimeMillis());
    try (LocalSandbox sandbox = LocalSandbox.builder(dir, PharosNodes.launcher())
        .policy(RegionLossBench.POLICY).build().start()) {
      sandbox.awaitHealthy(Duration.ofSeconds(180));
      var results = new LeaderFailoverBench(sandbox, System.out).run(mode, runs);
      String md = LeaderFailoverBench.markdown(mode, results);
      System.out.println();
      System.out.print(md);
      if (markdown != null) {
        Files.writeString(markdown, md);
      }
      return 0;
    }
  }
}
