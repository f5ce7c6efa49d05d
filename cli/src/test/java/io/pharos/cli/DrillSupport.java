package io.pharos.cli;

import io.pharos.chaos.drill.ConsoleProgress;
import io.pharos.chaos.drill.DrillEnvironment;
import io.pharos.chaos.drill.DrillListener;
import io.pharos.chaos.drill.DrillRunner;
import io.pharos.chaos.drill.SandboxReadiness;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillStore;
import io.pharos.chaos.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/** Helpers for the drill ITs: running a drill on a shared environment, recording its times. */
final class DrillSupport {
  private DrillSupport() {}

  static DrillReport run(DrillEnvironment env, Scenario s, Path out, boolean practice, boolean confirmed) {
    DrillListener progress = new ConsoleProgress(System.out, false);
    DrillReport r = new DrillRunner(env, new DrillRunner.Options(practice, confirmed, out.resolve("work"), true,
        Duration.ofSeconds(240)), progress).run(s);
    Path dir = new DrillStore(out.resolve("drills")).save(r);
    System.out.println("report: " + dir.resolve("report.html"));
    return r;
  }

  /** Leaves the environment as the next drill needs it: every region healthy and in traffic. */
  static void settle(DrillEnvironment env) {
    SandboxReadiness.await(env, Duration.ofSeconds(240), s -> System.out.println("settle: " + s));
  }

  /** Appends one Markdown row of measured times (recorded, not asserted). */
  static void record(Path file, DrillReport r) {
    String row = "| " + r.scenario() + " | " + r.status() + " | " + at(r, "detected") + " | " + at(r, "dns-committed")
        + " | " + at(r, "resolvers-cut-over") + " | " + at(r, "recovered") + " | "
        + String.format("%.1f s", (r.finishedAt() - r.startedAt()) / 1000.0) + " | " + r.actual() + " |\n";
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "| drill | result | detected | DNS committed | resolvers cut over | recovered |"
            + " runtime | actual |\n|---|---|---|---|---|---|---|---|\n");
      }
      Files.writeString(file, row, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    System.out.print("timings: " + row);
  }

  private static String at(DrillReport r, String key) {
    return r.mark(key).filter(io.pharos.core.report.Mark::happened).map(m -> String.format("%.3f s", m.sinceFaultMs() / 1000.0))
        .orElse("—");
  }

  /** The process state letter from /proc (T = stopped), or empty when gone. */
  static String procState(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (IOException e) {
      return "";
    }
  }

  static String describe(DrillReport r) {
    return r.summary() + "\n  deviations: " + String.join("\n    ", r.deviations()) + "\n  steps: "
        + String.join("\n    ", r.steps().stream().map(s -> s.index() + " " + s.status() + " " + s.description()
            + " — " + s.detail()).toList());
  }

  static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      return List.of();
    }
  }
}
