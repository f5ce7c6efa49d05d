package io.pharos.cli;

import io.pharos.chaos.crash.CrashSchedule;
import io.pharos.chaos.crash.CrashScheduleRunner;
import io.pharos.chaos.crash.NamedCases;
import io.pharos.chaos.crash.Op;
import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-crash}: many random crash schedules on one namespaced sandbox, checked. */
@Command(name = "bench-crash", hidden = true, mixinStandardHelpOptions = true,
    description = "Run N random crash schedules (kill -9, SIGSTOP, partitions, region losses) and check every history.")
final class BenchCrashCommand implements Callable<Integer> {
  @Option(names = "--schedules", defaultValue = "100")
  int schedules;

  @Option(names = "--first-seed", defaultValue = "1")
  long firstSeed;

  @Option(names = "--length", defaultValue = "30", description = "seconds per schedule")
  int lengthSeconds;

  @Option(names = "--markdown")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    if (schedules < 1 || schedules > 10_000 || lengthSeconds < 15 || lengthSeconds > 600) {
      throw new IllegalArgumentException("--schedules 1..10000, --length 15..600");
    }
    Path dir = Path.of("run", "bench-crash", Long.toString(System.currentTimeMillis()));
    try (LocalSandbox sandbox = LocalSandbox.builder(dir, PharosNodes.launcher())
        .network(SandboxNetwork.NETNS).policy(RegionLossBench.POLICY)
        .env(Map.of("PHAROS_FAULT_HOLD_BEFORE_FENCE_MS", Long.toString(NamedCases.HOLD_MS))).build().start()) {
      sandbox.awaitHealthy(Duration.ofSeconds(180));
      CrashScheduleRunner runner = new CrashScheduleRunner(sandbox, System.out);
      List<String> failures = new ArrayList<>();
      Map<Op.Kind, Integer> faults = new EnumMap<>(Op.Kind.class);
      int decisions = 0;
      List<String> selfExits = new ArrayList<>();
      List<String> regions = sandbox.regions().stream().map(r -> r.name()).toList();
      long started = System.currentTimeMillis();
      for (long seed = firstSeed; seed < firstSeed + schedules; seed++) {
        var r = runner.run(CrashSchedule.random(seed, regions, lengthSeconds * 1000L));
        decisions += r.decisions();
        final long s = seed;
        r.selfExits().forEach(x -> selfExits.add("seed " + s + ": " + x));
        r.windows().forEach(w -> faults.merge(w.op().kind(), 1, Integer::sum));
        if (!r.violations().isEmpty()) {
          failures.add("seed " + seed + ": " + r.violations());
        }
      }
      StringBuilder md = new StringBuilder();
      md.append("| schedules | length | faults injected | decisions checked | schedules with violations"
          + " | controllers that exited on their own | run time |\n");
      md.append("|---|---|---|---|---|---|---|\n");
      md.append("| ").append(schedules).append(" | ").append(lengthSeconds).append(" s | ").append(faults)
          .append(" | ").append(decisions).append(" | ").append(failures.size()).append(" | ")
          .append(selfExits.size()).append(" | ").append((System.currentTimeMillis() - started) / 60_000)
          .append(" min |\n");
      failures.forEach(f -> md.append("\n- ").append(f));
      selfExits.forEach(x -> md.append("\n- restarted: ").append(x));
      System.out.println();
      System.out.print(md);
      if (markdown != null) {
        Files.writeString(markdown, md.toString());
      }
      return failures.isEmpty() ? 0 : 1;
    }
  }
}
