package io.pharos.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillStoreTest {
  @TempDir
  Path dir;

  private static DrillReport recorded() throws Exception {
    try (InputStream in = DrillStoreTest.class.getResourceAsStream("/reports/hard-region-loss.json")) {
      return DrillReport.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static DrillReport copy(DrillReport r, String id, long startedAt, long rtoMs) {
    io.pharos.core.report.Measure rto = new io.pharos.core.report.Measure("RTO", 30_000L, rtoMs, "test", true, null);
    return new DrillReport(r.schema(), id, r.scenario(), r.title(), r.description(), r.source(), r.environment(),
        r.practice(), r.status(), r.targetsMet(), r.summary(), r.expected(), r.actual(), r.date(), startedAt,
        startedAt + 1000, r.faultAt(), r.timeline(), r.steps(), r.faults(), r.events(), rto, r.rpo(), r.deviations(),
        r.remediation(), r.notes(), r.signOff(), r.pendingReason(), r.schedule(), r.providerApi());
  }

  @Test
  void savesEveryFormAndListsPastDrillsWithTheirTrendAndOverdueOnes() throws Exception {
    DrillReport r = recorded();
    DrillStore store = new DrillStore(dir);
    Path d = store.save(copy(r, "b", 2_000_000L, 2_500));
    store.save(copy(r, "a", 1_000_000L, 3_000));
    assertThat(d.resolve("report.md")).content().contains("# Drill report: Hard loss of a region")
        .contains("| RTO | ≤ 30 s | 2.500 s | met |").contains("## Sign-off");
    assertThat(d.resolve("report.html")).content().contains("<svg id=\"timeline\"").doesNotContain("<script");
    assertThat(DrillReport.fromJson(Files.readString(d.resolve("report.json")))).isEqualTo(copy(r, "b", 2_000_000L,
        2_500));
    List<String> problems = new ArrayList<>();
    Files.createDirectories(dir.resolve("broken"));
    Files.writeString(dir.resolve("broken/report.json"), "{not json");
    List<DrillReport> all = store.all(problems);
    assertThat(all).extracting(DrillReport::id).containsExactly("a", "b");
    assertThat(problems).singleElement().asString().contains("broken");
    List<DrillStore.Trend> t = DrillStore.trends(all, Instant.ofEpochMilli(2_000_000L).plus(Duration.ofDays(100)),
        Map.of("hard-region-loss", Duration.ofDays(92)));
    assertThat(t).singleElement().satisfies(x -> {
      assertThat(x.runs()).isEqualTo(2);
      assertThat(x.headline()).containsExactly(3_000L, 2_500L);
      assertThat(x.overdue()).isTrue();
    });
  }
}
