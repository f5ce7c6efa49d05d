package io.pharos.cli;

import io.pharos.cli.bench.RegionCutBench;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Path;
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
    return SandboxBenchRun.run("bench-cut", mode.name(), runs, SandboxNetwork.NETNS, markdown,
        sandbox -> RegionCutBench.markdown(mode, new RegionCutBench(sandbox, System.out).run(mode, runs)));
  }
}
