package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.testkit.sandbox.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * "Recovered": every process ready, every controller answering with a leader, and the leader's
 * picture clean — every region HEALTHY and in traffic, no intent in progress, every region's own
 * agents heard, no evacuation, the startup grace over. A drill starts only from here (practice mode refuses
 * otherwise) and most drills end by waiting for it.
 */
public final class SandboxReadiness {
  private SandboxReadiness() {}

  /** Why the environment is not recovered, or empty when it is. */
  public static Optional<String> notRecovered(DrillEnvironment env) {
    Optional<String> process = env.notReady();
    if (process.isPresent()) {
      return process;
    }
    JsonNode leader = null;
    for (String url : env.controllerUrls()) {
      Optional<JsonNode> s = Http.get(url + "/v1/status", env.token().orElse(null)).filter(r -> r.status() == 200)
          .map(Http.Response::json);
      if (s.isEmpty()) {
        return Optional.of("controller " + url + " does not answer");
      }
      if (s.get().path("leader").isNull() || s.get().path("leader").asText().isEmpty()) {
        return Optional.of("controller " + s.get().path("controller").asText() + " knows no leader");
      }
      if ("LEADER".equals(s.get().path("role").asText())) {
        leader = s.get();
      }
    }
    if (leader == null) {
      return Optional.of("no controller leads");
    }
    return problems(leader).stream().findFirst();
  }

  /** What is not clean in a leader's status document. */
  public static List<String> problems(JsonNode status) {
    List<String> out = new ArrayList<>();
    status.path("regions").fields().forEachRemaining(e -> {
      JsonNode r = e.getValue();
      if (!"HEALTHY".equals(r.path("state").asText())) {
        out.add("region " + e.getKey() + " is " + r.path("state").asText());
      } else if (r.path("out").asBoolean()) {
        out.add("region " + e.getKey() + " is out of traffic");
      } else if (r.path("ownAgentsSilent").asBoolean()) {
        out.add("region " + e.getKey() + "'s own agents are silent");
      }
    });
    if (!status.path("pending").isNull() && !status.path("pending").isMissingNode()) {
      out.add("intent " + status.path("pending").path("decisionId").asText() + " is in progress");
    }
    JsonNode ev = status.path("evacuation");
    if (!ev.isNull() && !ev.isMissingNode()) {
      out.add("evacuation " + ev.path("id").asText() + " of " + ev.path("region").asText() + " is "
          + ev.path("phase").asText().toLowerCase());
    }
    if (status.path("graceRemainingMs").asLong(0) > 0) {
      out.add("startup grace: " + status.path("graceRemainingMs").asLong() + " ms left");
    }
    return out;
  }

  /** Waits until recovered, printing why not every 5 s; throws at the deadline naming the reason. */
  public static void await(DrillEnvironment env, Duration timeout, Consumer<String> progress) {
    long start = System.currentTimeMillis();
    long deadline = start + timeout.toMillis();
    long lastPrint = start;
    while (true) {
      Optional<String> why = notRecovered(env);
      if (why.isEmpty()) {
        progress.accept("every region healthy from every vantage, in traffic, no intent in progress ("
            + (System.currentTimeMillis() - start) / 1000 + " s)");
        return;
      }
      long now = System.currentTimeMillis();
      if (now > deadline) {
        throw new IllegalStateException(env.kind() + " not ready within " + timeout.toSeconds() + " s: " + why.get());
      }
      if (now - lastPrint >= 5_000) {
        lastPrint = now;
        progress.accept("waiting: " + why.get());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the " + env.kind());
      }
    }
  }
}
