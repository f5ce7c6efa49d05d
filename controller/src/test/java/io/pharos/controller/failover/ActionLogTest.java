package io.pharos.controller.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.testkit.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action log stays bounded: it rotates at its size limit and keeps a fixed number of old files. */
class ActionLogTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path dir;

  private final ControllerMetrics metrics = new ControllerMetrics("c1", new FakeClock());

  @Test
  void theLogRotatesAtItsLimitAndKeepsOnlyTheNewestFiles() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    long limit = 4_096;
    try (ActionLog log = ActionLog.to("c1", file, metrics.errors(), limit, 2)) {
      for (int i = 0; i < 1_000; i++) {
        log.record(i, "publish-modes", 3, "d-" + i, "3:" + i, "ok");
      }
    }
    List<Path> files = files();
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("actions.jsonl", "actions.jsonl.1", "actions.jsonl.2");
    long total = 0;
    for (Path p : files) {
      assertThat(Files.size(p)).as(p + " is within the limit").isLessThanOrEqualTo(limit);
      total += Files.size(p);
    }
    assertThat(total).isLessThanOrEqualTo(3 * limit);
    // the newest lines are in the current file, in order, and every line is whole JSON
    List<Long> ats = new ArrayList<>();
    for (Path p : List.of(files.get(2), files.get(1), files.get(0))) {
      for (String line : Files.readAllLines(p)) {
        ats.add(MAPPER.readTree(line).path("at").asLong());
      }
    }
    assertThat(ats).isSorted().endsWith(999L);
    assertThat(metrics.errors().counted("action-log.rotate")).isZero();
  }

  @Test
  void aReopenedLogContinuesItsFileAndStillRotates() throws IOException {
    Path file = dir.resolve("actions.jsonl");
    try (ActionLog log = ActionLog.to("c1", file, metrics.errors(), 2_048, 1)) {
      log.record(1, "dns-apply", 1, "d", "1:1", "ok");
    }
    try (ActionLog log = ActionLog.to("c1", file, metrics.errors(), 2_048, 1)) {
      for (int i = 2; i < 200; i++) {
        log.record(i, "dns-apply", 1, "d", "1:" + i, "ok");
      }
    }
    assertThat(files()).extracting(p -> p.getFileName().toString())
        .containsExactly("actions.jsonl", "actions.jsonl.1");
    assertThat(Files.size(file)).isLessThanOrEqualTo(2_048);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
