package io.pharos.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three regions in containers of the one image, on the local Docker engine (nothing pulled): region loss by
 * {@code docker kill} of the app, a whole region frozen by {@code docker pause}, and a controller container
 * replaced on its volume. Asserts outcomes (which region is out, the others untouched, the rejoined replica's
 * state); records times in target/container-e2e.txt (verdicts on times belong to bench/ and drill reports).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerFailoverIT {
  private static final List<String> REGIONS = List.of("a", "b", "c");
  private static final Duration FAILOVER = Duration.ofSeconds(120);
  private ContainerRegions cluster;
  private final List<String> record = new ArrayList<>();

  @BeforeAll
  void start() throws IOException {
    PharosImage image = PharosImage.build();
    note("image %s: %.1f MB, built in %d ms", image.tag(), image.sizeBytes() / 1e6, image.buildMillis());
    Path dir = Files.createDirectories(Path.of(System.getProperty("basedir", ".")).resolve("target/container-e2e"));
    long t0 = System.nanoTime();
    cluster = new ContainerRegions(image, Files.createTempDirectory(dir, "run-"), REGIONS, 1).start();
    await(Duration.ofMinutes(6), "every controller healthy with a leader", cluster::allHealthy);
    note("nine containers started and healthy in %d ms", ms(t0));
  }

  @AfterAll
  void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
      Files.write(cluster.dir().resolve("../container-e2e.txt").normalize(), record);
    }
  }

  @Test
  @Order(1)
  void killingARegionsAppFailsItOver() {
    long t0 = System.nanoTime();
    ContainerRegions.docker().killContainerCmd(cluster.container("app-a").getContainerId()).exec();
    JsonNode s = await(FAILOVER, "region a out", () -> cluster.leaderStatus(REGIONS)
        .filter(x -> x.at("/regions/a/out").asBoolean()));
    note("docker kill app-a -> region a out: %d ms (leader %s)", ms(t0), s.path("controller").asText());
    assertThat(s.at("/regions/b/out").asBoolean()).isFalse();
    assertThat(s.at("/regions/c/out").asBoolean()).isFalse();
    assertThat(s.at("/zone/weights/a").asInt()).isZero();
  }

  @Test
  @Order(2)
  void pausingAWholeRegionFailsItOver() {
    List<String> paused = List.of("app-b", "agent-b", "c2");
    long t0 = System.nanoTime();
    paused.forEach(alias -> await(Duration.ofSeconds(30), "docker pause " + alias, () -> pause(alias)));
    JsonNode s = await(FAILOVER, "region b out (as c1 or c3 sees it)", () -> cluster.leaderStatus(List.of("a", "c"))
        .filter(x -> x.at("/regions/b/out").asBoolean()));
    note("docker pause app-b agent-b c2 -> region b out: %d ms (leader %s)", ms(t0), s.path("controller").asText());
    assertThat(s.at("/regions/c/out").asBoolean()).isFalse();
    paused.forEach(alias -> ContainerRegions.docker().unpauseContainerCmd(cluster.container(alias).getContainerId())
        .exec());
  }

  @Test
  @Order(3)
  void aControllerReplacedOnItsVolumeRejoins() {
    long t0 = System.nanoTime();
    cluster.replaceController("b");
    JsonNode s = await(Duration.ofMinutes(3), "c2 back with a leader and the committed state", () -> cluster
        .status("b").filter(x -> !x.path("leader").asText("").isEmpty() && x.at("/regions/a/out").asBoolean()
            && x.at("/regions/b/out").asBoolean()));
    note("c2 replaced on its volume -> following leader %s with the journal's state: %d ms",
        s.path("leader").asText(), ms(t0));
    assertThat(s.path("role").asText()).isIn("FOLLOWER", "LEADER");
  }

  /**
   * Pauses a container: true once paused. The cgroup v1 freezer can fail to freeze a busy JVM in time ("OCI runtime
   * pause failed: unable to freeze"); the engine thaws it again, and the next attempt usually freezes it.
   */
  private Optional<Boolean> pause(String alias) {
    try {
      ContainerRegions.docker().pauseContainerCmd(cluster.container(alias).getContainerId()).exec();
      return Optional.of(true);
    } catch (com.github.dockerjava.api.exception.DockerException e) {
      if (!String.valueOf(e.getMessage()).contains("unable to freeze")) {
        throw e;
      }
      return Optional.empty();
    }
  }

  private void note(String format, Object... args) {
    String line = String.format(format, args);
    record.add(line);
    System.out.println("ContainerFailoverIT: " + line);
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Polls every 200 ms until {@code probe} gives a value; fails naming {@code what}. */
  static <T> T await(Duration timeout, String what, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(200); // polling interval of a condition with a deadline, not a wait for a fixed time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    await(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }
}
