package io.pharos.cli;

import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillStore;
import io.pharos.chaos.scenario.DrillSchedule;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioException;
import io.pharos.chaos.scenario.ScenarioLibrary;
import io.pharos.chaos.scenario.ScenarioParser;
import io.pharos.cli.operator.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos drill list}: past drills and, per scenario, their trend and whether one is overdue.
 * A scenario's schedule comes from its file ({@code --scenarios}), else from its last report, else
 * from the built-in library; a scheduled scenario that never ran is overdue. With {@code --check}
 * an overdue drill makes the command exit {@value ExitCodes#DRILL_OVERDUE}, for cron or CI to alert on.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List past drills and their trend; scheduled"
    + " drills whose last run is older than their schedule are flagged OVERDUE (exit 6 with --check).")
final class DrillListCommand implements Callable<Integer> {
  @Option(names = "--drills-dir", defaultValue = "drills", description = "where reports are kept (default: drills)")
  Path drillsDir;

  @Option(names = "--scenarios", split = ",", paramLabel = "FILE|DIR", description = "your scenario files (or"
      + " directories of *.yaml files): their schedule: counts, and a scheduled one that never ran is OVERDUE")
  List<Path> scenarios = new ArrayList<>();

  @Option(names = "--check", description = "exit 6 when a scheduled drill is overdue (for cron or CI to alert on),"
      + " naming each one on standard error")
  boolean check;

  /** What "overdue" is measured against (tests set it). */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    List<String> problems = new ArrayList<>();
    List<DrillReport> all = new DrillStore(drillsDir).all(problems);
    problems.forEach(p -> System.err.println("skipped unreadable report " + p));
    Map<String, Duration> schedules = schedules(all);
    Map<String, String> scheduleText = new LinkedHashMap<>(scheduleTexts);
    Instant now = clock.instant();
    List<String> overdue = new ArrayList<>();
    if (all.isEmpty()) {
      System.out.println("no drills under " + drillsDir + " yet; run one with `pharos drill run hard-region-loss`");
      return neverRun(all, schedules, scheduleText, overdue);
    }
    System.out.printf("%-20s %-28s %-8s %10s %10s %10s %10s%n", "date (UTC)", "scenario", "result", "detected",
        "DNS", "RTO", "RPO");
    for (DrillReport r : all) {
      System.out.printf("%-20s %-28s %-8s %10s %10s %10s %10s%n", r.date().substring(0, 19).replace('T', ' '),
          r.scenario(), r.status() + (r.passed() && !r.targetsMet() ? "*" : ""), at(r, "detected"),
          at(r, "dns-committed"), ms(r.rto() == null ? null : r.rto().actualMs()),
          ms(r.rpo() == null ? null : r.rpo().actualMs()));
    }
    System.out.println("(* timing targets missed)");
    System.out.println();
    System.out.printf("%-28s %5s %6s  %-40s %s%n", "scenario", "runs", "passed", "trend (RTO, else DNS committed)",
        "schedule");
    for (DrillStore.Trend t : DrillStore.trends(all, now, schedules)) {
      String schedule = scheduleText.getOrDefault(t.scenario(), t.schedule());
      if (t.overdue()) {
        overdue.add(t.scenario() + " (last run " + t.last().date().substring(0, 10) + ", schedule " + schedule + ")");
      }
      System.out.printf("%-28s %5d %6d  %-40s %s%n", t.scenario(), t.runs(), t.passed(), trend(t.headline()),
          schedule == null ? "" : schedule + (t.overdue() ? " — OVERDUE" : ""));
    }
    return neverRun(all, schedules, scheduleText, overdue);
  }

  /** Prints the scheduled scenarios that never ran (overdue), then the verdict of --check. */
  private int neverRun(List<DrillReport> all, Map<String, Duration> schedules, Map<String, String> scheduleText,
      List<String> overdue) {
    TreeSet<String> reported = new TreeSet<>();
    all.forEach(r -> reported.add(r.scenario()));
    boolean header = !all.isEmpty();
    for (String name : new TreeSet<>(schedules.keySet())) {
      if (!reported.contains(name) && scenarioFiles.contains(name)) {
        if (!header) {
          System.out.printf("%-28s %5s %6s  %-40s %s%n", "scenario", "runs", "passed", "trend", "schedule");
          header = true;
        }
        System.out.printf("%-28s %5d %6d  %-40s %s%n", name, 0, 0, "never run", scheduleText.get(name)
            + " — OVERDUE");
        overdue.add(name + " (never run, schedule " + scheduleText.get(name) + ")");
      }
    }
    if (check && !overdue.isEmpty()) {
      System.err.println("pharos: " + overdue.size() + " scheduled drill(s) overdue: " + String.join("; ", overdue)
          + "; run them with `pharos drill run <scenario>`");
      return ExitCodes.DRILL_OVERDUE;
    }
    return ExitCodes.OK;
  }

  private final Map<String, String> scheduleTexts = new LinkedHashMap<>();
  private final java.util.Set<String> scenarioFiles = new TreeSet<>();

  /**
   * Each scenario's schedule: the built-in library's, overridden by the one its last report
   * recorded, overridden by its file in --scenarios (what the team wants now).
   */
  private Map<String, Duration> schedules(List<DrillReport> reports) {
    Map<String, Duration> m = new LinkedHashMap<>();
    for (Scenario s : ScenarioLibrary.all()) {
      if (s.scheduleEvery() != null) {
        m.put(s.name(), s.scheduleEvery());
        scheduleTexts.put(s.name(), s.schedule());
      }
    }
    for (DrillReport r : reports) {
      if (r.schedule() != null) {
        try {
          m.put(r.scenario(), DrillSchedule.parse(r.schedule()));
          scheduleTexts.put(r.scenario(), r.schedule());
        } catch (IllegalArgumentException e) {
          System.err.println("pharos: report " + r.id() + ": " + e.getMessage());
        }
      }
    }
    for (Path file : scenarioFiles()) {
      try {
        Scenario s = ScenarioParser.parse(file, Map.of());
        if (s.scheduleEvery() != null) {
          m.put(s.name(), s.scheduleEvery());
          scheduleTexts.put(s.name(), s.schedule());
          scenarioFiles.add(s.name());
        }
      } catch (ScenarioException e) {
        System.err.println("pharos: skipped invalid scenario " + file + ": " + String.join("; ", e.problems()));
      }
    }
    return m;
  }

  private List<Path> scenarioFiles() {
    List<Path> files = new ArrayList<>();
    for (Path p : scenarios) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot list --scenarios " + p + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new IllegalArgumentException("--scenarios " + p + ": no such file or directory");
      }
    }
    return files;
  }

  private static String trend(List<Long> values) {
    if (values.isEmpty()) {
      return "—";
    }
    List<Long> last = values.subList(Math.max(0, values.size() - 5), values.size());
    StringBuilder sb = new StringBuilder();
    for (Long v : last) {
      sb.append(sb.length() == 0 ? "" : " → ").append(String.format("%.1f", v / 1000.0));
    }
    sb.append(" s");
    if (last.size() >= 2) {
      long d = last.get(last.size() - 1) - last.get(last.size() - 2);
      sb.append(d < -200 ? " (better)" : d > 200 ? " (worse)" : " (steady)");
    }
    return sb.toString();
  }

  private static String at(DrillReport r, String key) {
    return ms(r.mark(key).map(io.pharos.core.report.Mark::sinceFaultMs).orElse(null));
  }

  private static String ms(Long v) {
    return v == null ? "—" : String.format("%.2f s", v / 1000.0);
  }
}
