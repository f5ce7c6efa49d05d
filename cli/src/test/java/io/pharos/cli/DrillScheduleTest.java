package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.chaos.scenario.DrillSchedule;
import io.pharos.cli.CliRun.Result;
import io.pharos.cli.operator.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Drills in the team's own scenario files with {@code schedule:}: OVERDUE in {@code drill list}, exit 6 with --check. */
class DrillScheduleTest {
  private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir
  Path dir;

  @Test
  void schedules_are_named_cron_macros_durations_or_every_something() {
    assertThat(DrillSchedule.parse("monthly")).isEqualTo(Duration.ofDays(31));
    assertThat(DrillSchedule.parse("@weekly")).isEqualTo(Duration.ofDays(7));
    assertThat(DrillSchedule.parse("every 30d")).isEqualTo(Duration.ofDays(30));
    assertThat(DrillSchedule.parse("every quarter")).isEqualTo(Duration.ofDays(92));
    assertThat(DrillSchedule.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThatThrownBy(() -> DrillSchedule.parse("0 3 * * 1")).hasMessageContaining("'0 3 * * 1' is not a schedule")
        .hasMessageContaining("every 30d");
  }

  @Test
  void a_scheduled_drill_older_than_its_schedule_or_never_run_is_overdue_and_check_exits_6() throws Exception {
    Path drills = dir.resolve("drills");
    Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
    // pending: the drill records a report without a sandbox; the test then dates it as a real run
    Files.writeString(scenarios.resolve("dns-failover.yaml"), """
        name: team-dns-failover
        schedule: every 30d
        pending: >
          recorded without a sandbox by the test
        steps:
          - wait: { until: recovered, within: 60s }
        expect:
          noFailover: true
        """);
    Files.writeString(scenarios.resolve("never.yaml"), """
        name: team-never-run
        schedule: "@weekly"
        steps:
          - wait: { until: recovered, within: 60s }
        expect:
          noFailover: true
        """);
    Result ran = CliRun.run("drill", "run", scenarios.resolve("dns-failover.yaml").toString(), "--drills-dir",
        drills.toString());
    assertThat(ran.code()).as(ran.err()).isEqualTo(3);
    Path report = ranAt(drills, NOW.minus(Duration.ofDays(40)));

    Result old = list(drills, "--scenarios", scenarios.toString(), "--check");
    assertThat(old.code()).isEqualTo(ExitCodes.DRILL_OVERDUE);
    assertThat(old.out()).containsPattern("team-dns-failover .* every 30d — OVERDUE")
        .containsPattern("team-never-run .*never run .*@weekly — OVERDUE");
    assertThat(old.err()).contains("2 scheduled drill(s) overdue")
        .contains("team-dns-failover (last run 2026-10-27, schedule every 30d)")
        .contains("team-never-run (never run, schedule @weekly)");

    ranAt(drills, NOW.minus(Duration.ofDays(10)));
    Result recent = list(drills, "--scenarios", scenarios.resolve("dns-failover.yaml").toString(), "--check");
    assertThat(recent.code()).as(recent.err()).isZero();
    assertThat(recent.out()).contains("team-dns-failover").contains("every 30d").doesNotContain("OVERDUE");

    // without its file, the schedule the report recorded still counts
    ranAt(drills, NOW.minus(Duration.ofDays(31)));
    Result fromReport = list(drills, "--check");
    assertThat(fromReport.code()).isEqualTo(ExitCodes.DRILL_OVERDUE);
    assertThat(fromReport.out()).containsPattern("team-dns-failover .* every 30d — OVERDUE");
    assertThat(list(drills).code()).as("without --check, listing is informational").isZero();
    assertThat(report).exists();
  }

  /** Turns the only report into a passed run started at {@code at}. */
  private static Path ranAt(Path drills, Instant at) throws Exception {
    Path report;
    try (Stream<Path> s = Files.walk(drills)) {
      report = s.filter(p -> p.getFileName().toString().equals("report.json")).findFirst().orElseThrow();
    }
    ObjectNode r = (ObjectNode) MAPPER.readTree(report.toFile());
    r.put("status", "PASSED").put("startedAt", at.toEpochMilli()).put("finishedAt", at.toEpochMilli() + 60_000)
        .put("date", at.toString());
    Files.writeString(report, r.toString());
    return report;
  }

  private static Result list(Path drills, String... args) {
    DrillListCommand cmd = new DrillListCommand();
    cmd.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    String[] all = Stream.concat(Stream.of("--drills-dir", drills.toString()), Stream.of(args)).toArray(String[]::new);
    return CliRun.capture(() -> new CommandLine(cmd).execute(all));
  }
}
