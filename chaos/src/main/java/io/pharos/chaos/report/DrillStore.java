package io.pharos.chaos.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Past drills as files: {@code <drills>/<id>/report.json|md|html}, one directory per drill, so a
 * drill record is never lost with a process and can be attached to an audit as it is.
 */
public final class DrillStore {
  private final Path dir;

  public DrillStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Writes the three forms; returns the drill's directory. */
  public Path save(DrillReport r) {
    Path d = dir.resolve(r.id());
    try {
      Files.createDirectories(d);
      Files.writeString(d.resolve("report.json"), r.toJson());
      Files.writeString(d.resolve("report.md"), MarkdownReport.render(r));
      Files.writeString(d.resolve("report.html"), HtmlReport.render(r));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the drill report under " + d + ": " + e.getMessage(), e);
    }
    return d;
  }

  /** Every stored report, oldest first; unreadable ones are skipped and named in {@code problems}. */
  public List<DrillReport> all(List<String> problems) {
    List<DrillReport> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path d : s.filter(Files::isDirectory).toList()) {
        Path json = d.resolve("report.json");
        if (!Files.isRegularFile(json)) {
          continue;
        }
        try {
          out.add(DrillReport.fromJson(Files.readString(json)));
        } catch (IOException | IllegalArgumentException e) {
          problems.add(json + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      problems.add(dir + ": " + e.getMessage());
    }
    out.sort(Comparator.comparingLong(DrillReport::startedAt));
    return out;
  }

  /** One line per scenario: its runs, last result, and the trend of its headline time. */
  public record Trend(String scenario, int runs, int passed, DrillReport last, List<Long> headline, boolean overdue,
      String schedule) {}

  /** Per scenario, in order of the last run; {@code now} decides which scheduled drills are overdue. */
  public static List<Trend> trends(List<DrillReport> reports, Instant now, Map<String, Duration> schedules) {
    Map<String, List<DrillReport>> by = new LinkedHashMap<>();
    reports.forEach(r -> by.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
    List<Trend> out = new ArrayList<>();
    by.forEach((name, rs) -> {
      DrillReport last = rs.get(rs.size() - 1);
      List<Long> headline = rs.stream().filter(r -> !"PENDING".equals(r.status())).map(DrillStore::headline)
          .filter(x -> x != null).toList();
      Duration every = schedules.get(name);
      // a PENDING drill never ran: it does not keep its schedule
      Long lastRun = rs.stream().filter(r -> !"PENDING".equals(r.status())).map(DrillReport::startedAt)
          .reduce((a, b) -> b).orElse(null);
      boolean overdue = every != null && (lastRun == null || Instant.ofEpochMilli(lastRun).plus(every).isBefore(now));
      out.add(new Trend(name, rs.size(), (int) rs.stream().filter(DrillReport::passed).count(), last, headline,
          overdue, last.schedule()));
    });
    return out;
  }

  /** The time a drill is judged by: RTO where measured, else DNS committed, else null. */
  public static Long headline(DrillReport r) {
    if (r.rto() != null && r.rto().actualMs() != null) {
      return r.rto().actualMs();
    }
    return r.mark("dns-committed").map(io.pharos.core.report.Mark::sinceFaultMs).orElse(null);
  }
}
