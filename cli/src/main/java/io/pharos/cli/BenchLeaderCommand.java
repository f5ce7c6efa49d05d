package io.pharos.cli;

import io.pharos.cli.bench.LeaderFailoverBench;
import java.nio.file.Path;
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
    return SandboxBenchRun.run("bench-leader", mode.name(), runs, null, markdown,
        sandbox -> LeaderFailoverBench.markdown(mode, new LeaderFailoverBench(sandbox, System.out).run(mode, runs)));
  }
}
