package io.pharos.cli;

import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The frame of the repeated sandbox benchmarks: one sandbox, N runs of one mode, a Markdown summary. */
final class SandboxBenchRun {
  /** Runs the benchmark on the sandbox and returns its Markdown summary. */
  interface Bench {
    String run(LocalSandbox sandbox) throws Exception;
  }

  private SandboxBenchRun() {}

  /**
   * Starts a sandbox under {@code run/<name>/<mode>-<time>} with the region-loss bench policy, waits
   * for it to be healthy, runs the bench, prints its summary and writes it to {@code markdown}.
   */
  static int run(String name, String mode, int runs, SandboxNetwork network, Path markdown, Bench bench)
      throws Exception {
    if (runs < 1 || runs > 1000) {
      throw new IllegalArgumentException("--runs must be 1..1000");
    }
    Path dir = Path.of("run", name, mode.toLowerCase() + "-" + System.currentTimeMillis());
    var builder = LocalSandbox.builder(dir, PharosNodes.launcher()).policy(RegionLossBench.POLICY);
    try (LocalSandbox sandbox = (network == null ? builder : builder.network(network)).build().start()) {
      sandbox.awaitHealthy(Duration.ofSeconds(180));
      String md = bench.run(sandbox);
      System.out.println();
      System.out.print(md);
      if (markdown != null) {
        Files.writeString(markdown, md);
      }
      return 0;
    }
  }
}
