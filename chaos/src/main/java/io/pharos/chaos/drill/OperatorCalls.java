package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.core.config.Durations;
import io.pharos.testkit.sandbox.Http;
import java.util.Map;
import java.util.Optional;

/**
 * An operator step, sent as an SRE's CLI would: to each controller's admin API in turn until the
 * acting leader commits it (others answer 409 naming the leader). The token is sent, never shown.
 */
final class OperatorCalls {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long LEADER_WAIT_MS = 5_000;

  private OperatorCalls() {}

  /** {failure or null, detail}. */
  /**
   * @param leaderStatus the leader's status, for the commands about a decision (approve, reject:
   *     the one that waits for an operator about the region)
   */
  static String[] send(DrillEnvironment env, Scenario.Operator op, String runTag,
      Optional<com.fasterxml.jackson.databind.JsonNode> leaderStatus) {
    Optional<String> token = env.token();
    if (token.isEmpty()) {
      return new String[] {"operator steps need an operator token for the controllers' API: set PHAROS_TOKEN", ""};
    }
    ObjectNode body = MAPPER.createObjectNode().put("reason", op.reason() + " (drill run " + runTag + ")");
    String path = "/v1/regions/" + op.region();
    switch (op.command()) {
      case "evacuate" -> {
        path += "/evacuate";
        if (!op.steps().isEmpty()) {
          op.steps().forEach(body.putArray("steps")::add);
        }
        if (op.hold() != null) {
          body.put("hold", Durations.format(op.hold()));
        }
      }
      case "abort-evacuation" -> path += "/evacuate/abort";
      case "failback" -> {
        path += "/failback";
        body.put("force", op.force());
      }
      case "approve", "reject" -> {
        Optional<String> id = leaderStatus.flatMap(j -> Conditions.waitingDecision(j, op.region()));
        if (id.isEmpty()) {
          return new String[] {"nothing about " + op.region() + " waits for an operator to " + op.command(), ""};
        }
        path = "/v1/decisions/" + id.get() + "/" + op.command();
      }
      default -> throw new IllegalStateException("unknown operator command " + op.command());
    }
    Map<String, String> auth = Map.of("Authorization", "Bearer " + token.get());
    long deadline = System.currentTimeMillis() + LEADER_WAIT_MS;
    String last = "no controller answered";
    while (true) {
      for (String url : env.controllerUrls()) {
        Optional<Http.Response> r = Http.send("POST", url + path, body.toString(), auth);
        if (r.isEmpty()) {
          last = url + " does not answer";
          continue;
        }
        String error = error(r.get());
        if (r.get().status() == 200) {
          return new String[] {null, "committed at " + json(r.get()).path("token").asText() + " by " + url};
        }
        if (r.get().status() == 409 && error.contains("not the acting leader")) {
          last = error;
          continue;
        }
        return new String[] {"the controller refused " + op.command() + " " + op.region() + " (HTTP "
            + r.get().status() + "): " + error, error};
      }
      if (System.currentTimeMillis() > deadline) {
        return new String[] {"no acting leader accepted " + op.command() + " within " + LEADER_WAIT_MS / 1000 + " s: "
            + last, last};
      }
      try {
        Thread.sleep(200); // a leader change in progress: ask again shortly
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new String[] {"interrupted", ""};
      }
    }
  }

  private static JsonNode json(Http.Response r) {
    try {
      return r.json();
    } catch (IllegalStateException e) {
      return MAPPER.createObjectNode().put("error", r.body());
    }
  }

  private static String error(Http.Response r) {
    return json(r).path("error").asText(r.body());
  }
}
