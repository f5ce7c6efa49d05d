package io.pharos.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent container's memory at 200 endpoints (the chart's agent requests/limits follow from it): one region,
 * its app, controller and agent in containers of the image; RSS read after the agent has probed every endpoint
 * for a while. Recorded in target/container-rss.txt; docs/benchmarks.md has the numbers.
 */
class AgentRssIT {
  private static final int ENDPOINTS = 200;

  @Test
  void agentRssAt200Endpoints() throws IOException {
    PharosImage image = PharosImage.build();
    Path dir = Files.createDirectories(Path.of(System.getProperty("basedir", ".")).resolve("target/container-rss"));
    // two regions of 100 endpoints each (a failover needs two), one controller and its agent in region a: the
    // agent probes all 200
    try (ContainerRegions one = new ContainerRegions(image, Files.createTempDirectory(dir, "run-"), List.of("a", "b"),
        ENDPOINTS / 2, List.of("a")).start()) {
      // a minute of probing 200 endpoints every second: the heap has grown to where it stays
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long peak = 0;
      while (System.nanoTime() < until) {
        peak = Math.max(peak, one.rssKb("agent-a"));
        sampleInterval();
      }
      assertThat(one.leadersKnown()).as("the controller still up").isTrue();
      long agent = one.rssKb("agent-a");
      long controller = one.rssKb("c1");
      String line = String.format("agent RSS at %d endpoints: %d MB now, %d MB peak over 60 s; controller c1: %d MB;"
          + " image %s %.1f MB", ENDPOINTS, agent / 1024, Math.max(peak, agent) / 1024, controller / 1024,
          image.tag(), image.sizeBytes() / 1e6);
      System.out.println("AgentRssIT: " + line);
      Files.writeString(dir.resolve("../container-rss.txt").normalize(), line + "\n");
      assertThat(agent).isPositive();
    }
  }

  /** The measurement's cadence (a sample every 2 s), not a wait for a condition. */
  private static void sampleInterval() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
