package io.pharos.cli;

import io.pharos.chaos.drill.ConsoleProgress;
import io.pharos.chaos.drill.DrillEnvironment;
import io.pharos.chaos.drill.DrillEnvironments;
import io.pharos.chaos.drill.DrillRefusedException;
import io.pharos.chaos.drill.DrillRunner;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillStore;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioException;
import io.pharos.chaos.scenario.ScenarioLibrary;
import io.pharos.chaos.scenario.ScenarioParser;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pharos drill}: run a failover drill and keep its report; list past drills. */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Failover drills: run a scenario and get a measured DR report; list past drills.",
    subcommands = {DrillCommand.Run.class, DrillListCommand.class, DrillCommand.Scenarios.class,
        DrillCommand.Validate.class})
final class DrillCommand implements Runnable {
  static final int EXIT_PENDING = 3;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code pharos drill run <scenario>} */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a drill: a scenario file or a built-in drill by name (see `pharos drill scenarios`).")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", description = "scenario file, or the name of a built-in drill")
    String scenario;

    @Option(names = "--set", description = "set a scenario variable, e.g. --set region=eu-west")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--practice", description = "practice mode against a running deployment: refuse unless every"
        + " region is healthy, one region at most, stop and revert if a real incident starts")
    boolean practice;

    @Option(names = "--confirm", description = "allow the drill to touch a non-sandbox environment")
    boolean confirm;

    @Option(names = "--attach", description = "run against a running local sandbox (its sandbox.json)")
    Path attach;

    @Option(names = "--network", description = "sandbox network: auto, loopback or netns")
    String network;

    @Option(names = "--drills-dir", defaultValue = "drills", description = "where reports are kept (default: drills)")
    Path drillsDir;

    @Option(names = "--run-dir", description = "sandbox directory (default: run/drill-<time>)")
    Path runDir;

    @Option(names = "--json", description = "print the report as JSON on stdout (progress goes to stderr)")
    boolean json;

    @Option(names = "--no-watchdog", hidden = true, description = "do not start the fault watchdog")
    boolean noWatchdog;

    @Override
    public Integer call() {
      Scenario s;
      try {
        s = ScenarioLibrary.resolve(scenario, vars);
      } catch (ScenarioException e) {
        System.err.println("pharos: invalid scenario:\n  " + String.join("\n  ", e.problems()));
        return 2;
      }
      PrintStream progress = json ? System.err : System.out;
      Path dir = runDir != null ? runDir : Path.of("run", "drill-"
          + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      DrillReport r;
      try {
        r = run(s, dir, progress);
      } catch (DrillRefusedException e) {
        System.err.println("pharos: " + e.getMessage());
        return 2;
      }
      Path saved = new DrillStore(drillsDir).save(r);
      if (json) {
        System.out.println(r.toJson());
      } else {
        progress.println();
        progress.print(DrillText.timeline(r));
        progress.println(r.summary());
      }
      progress.println("report: " + saved.resolve("report.html") + " (also report.md, report.json)");
      return exitCode(r);
    }

    private DrillReport run(Scenario s, Path dir, PrintStream progress) {
      if (s.pending() != null) {
        return new DrillRunner(null, options(dir), ConsoleProgress.forStdout(progress)).run(s);
      }
      try (DrillEnvironment env = DrillEnvironments.create(s, attach, network, dir,
          PharosNodes.launcher())) {
        return new DrillRunner(env, options(dir), ConsoleProgress.forStdout(progress)).run(s);
      }
    }

    private DrillRunner.Options options(Path dir) {
      return new DrillRunner.Options(practice, confirm, dir.resolve("drill"), !noWatchdog, Duration.ofSeconds(180));
    }
  }

  static int exitCode(DrillReport r) {
    return switch (r.status()) {
      case "PASS" -> r.targetsMet() ? 0 : 1;
      case "PENDING" -> EXIT_PENDING;
      default -> 1;
    };
  }

  /** {@code pharos drill scenarios} */
  @Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the built-in drills.")
  static final class Scenarios implements Callable<Integer> {
    @Override
    public Integer call() {
      for (Scenario s : ScenarioLibrary.all()) {
        System.out.printf("%-28s %s%n", s.name(), s.title());
        System.out.printf("%-28s expected: %s%n", "", s.expect().describe());
        if (s.pending() != null) {
          System.out.printf("%-28s PENDING: %s%n", "", s.pending().strip());
        }
      }
      return 0;
    }
  }

  /** {@code pharos drill validate <file>...} */
  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check scenario files; exit 2 if invalid.")
  static final class Validate implements Callable<Integer> {
    @Parameters(description = "scenario files")
    List<Path> files;

    @Override
    public Integer call() {
      int code = 0;
      for (Path f : files) {
        try {
          Scenario s = ScenarioParser.parse(f, Map.of());
          System.out.println(f + ": OK (" + s.name() + ", " + s.steps().size() + " steps; expected: "
              + s.expect().describe() + ")");
        } catch (ScenarioException e) {
          System.err.println(String.join("\n", e.problems()));
          code = 2;
        }
      }
      return code;
    }
  }
}
