package io.pharos.cli;

import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillStore;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.scenario.ScenarioLibrary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos drill list}: past drills and, per scenario, their trend and whether one is overdue. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List past drills and their trend.")
final class DrillListCommand implements Callable<Integer> {
  @Option(names = "--drills-dir", defaultValue = "drills", description = "where reports are kept (default: drills)")
  Path drillsDir;

  @Override
  public Integer call() {
    List<String> problems = new ArrayList<>();
    List<DrillReport> all = new DrillStore(drillsDir).all(problems);
    problems.forEach(p -> System.err.println("skipped unreadable report " + p));
    if (all.isEmpty()) {
      System.out.println("no drills under " + drillsDir + " yet; run one with `pharos drill run hard-region-loss`");
      return 0;
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
    for (DrillStore.Trend t : DrillStore.trends(all, Instant.now(), schedules())) {
      System.out.printf("%-28s %5d %6d  %-40s %s%n", t.scenario(), t.runs(), t.passed(), trend(t.headline()),
          t.schedule() == null ? "" : t.schedule() + (t.overdue() ? " — OVERDUE" : ""));
    }
    return 0;
  }

  private static Map<String, Duration> schedules() {
    Map<String, Duration> m = new HashMap<>();
    for (Scenario s : ScenarioLibrary.all()) {
      if (s.scheduleEvery() != null) {
        m.put(s.name(), s.scheduleEvery());
      }
    }
    return m;
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
