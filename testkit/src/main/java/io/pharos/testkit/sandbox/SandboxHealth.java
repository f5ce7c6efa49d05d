package io.pharos.testkit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;

/**
 * What a sandbox's processes say about themselves over HTTP ({@code /ready}, {@code /v1/status}):
 * the readiness and settle conditions tests, drills and benches wait for, and the waiting itself.
 */
public final class SandboxHealth {
  private final List<SandboxRegion> regions;
  private final String viewerToken;

  /** @param viewerToken a viewer token for {@code /v1/status} */
  SandboxHealth(List<SandboxRegion> regions, String viewerToken) {
    this.regions = regions;
    this.viewerToken = viewerToken;
  }

  /**
   * Every controller and agent ready, every controller naming a leader and seeing every region
   * HEALTHY.
   */
  public boolean allHealthy() {
    for (SandboxRegion r : regions) {
      if (!ready(r.agentUrl()) || !ready(r.apiUrl())) {
        return false;
      }
      Optional<JsonNode> status = status(r);
      if (status.isEmpty() || status.get().path("leader").isNull() || status.get().path("leader").asText().isEmpty()) {
        return false;
      }
      for (SandboxRegion other : regions) {
        if (!"HEALTHY".equals(status.get().path("regions").path(other.name()).path("state").asText())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Healthy everywhere, every region back in traffic, and no decision in progress. */
  public boolean settled() {
    if (!allHealthy()) {
      return false;
    }
    return leader().flatMap(this::status).map(s -> s.path("pending").isNull()
        && StreamSupport.stream(s.path("regions").spliterator(), false)
            .noneMatch(x -> x.path("out").asBoolean())).orElse(false);
  }

  /** The region whose controller is the leader now, if any controller names one. */
  public Optional<SandboxRegion> leader() {
    for (SandboxRegion r : regions) {
      Optional<JsonNode> s = status(r);
      if (s.isPresent() && "LEADER".equals(s.get().path("role").asText())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The controller's {@code /v1/status}, if it answers. */
  public Optional<JsonNode> status(SandboxRegion r) {
    return Http.get(r.apiUrl() + "/v1/status", viewerToken).filter(x -> x.status() == 200)
        .map(Http.Response::json);
  }

  /** Waits until {@code condition} holds, polling every 50 ms; fails naming {@code what}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static boolean ready(String base) {
    return Http.get(base + "/ready").map(r -> r.status() == 200).orElse(false);
  }
}
