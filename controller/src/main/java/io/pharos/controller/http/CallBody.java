package io.pharos.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.Durations;
import io.pharos.core.config.HostPort;
import io.pharos.core.decision.EvacuationPlan;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of an admin call: parsed as a JSON object, and its fields read with an error that names
 * the field ({@link IllegalArgumentException}: a 400 before anything ran).
 */
final class CallBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CallBody() {
  }

  /** The body's fields other than the reason, for the audit record ({@code {"steps":[50,0]}}). */
  static String summary(JsonNode body) {
    ObjectNode rest = ((ObjectNode) body).deepCopy();
    rest.remove("reason");
    return rest.isEmpty() ? "" : " " + rest;
  }

  static final class BadJson extends IllegalArgumentException {
    BadJson(String m) {
      super(m);
    }
  }

  static final class MissingReason extends IllegalArgumentException {
    MissingReason(String m) {
      super(m);
    }
  }

  static JsonNode parse(RoutingContext ctx) {
    try {
      String raw = ctx.body().asString();
      JsonNode body = raw == null || raw.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(raw);
      if (!body.isObject()) {
        throw new BadJson("bad JSON: the body must be a JSON object");
      }
      return body;
    } catch (java.io.IOException e) {
      throw new BadJson("bad JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static String reason(JsonNode body) {
    JsonNode v = body.get("reason");
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new MissingReason("field 'reason' is required: say why (it goes into the audit chain)");
    }
    if (v.asText().length() > AdminApi.MAX_REASON) {
      throw new IllegalArgumentException("field 'reason' is longer than " + AdminApi.MAX_REASON + " characters");
    }
    return v.asText().strip();
  }

  /**
   * {@code {"members":[{"id":"c1","raft":"host:port"}, ...]}}: 3 or 5 controllers (other addresses
   * are not used by Raft).
   */
  static List<ControllerPeer> members(JsonNode body) {
    JsonNode list = body.get("members");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("field 'members' is required: a list of {\"id\", \"raft\"}");
    }
    if (list.size() != 3 && list.size() != 5) {
      throw new IllegalArgumentException("a group of " + list.size() + " controller" + (list.size() == 1 ? "" : "s")
          + (list.size() % 2 == 0 ? " cannot outvote a split" : list.size() == 1 ? " survives no failure"
              : " is more than the group needs") + "; use 3 or 5");
    }
    List<ControllerPeer> out = new ArrayList<>();
    for (JsonNode m : list) {
      HostPort raft = HostPort.parse(text(m, "raft"));
      out.add(new ControllerPeer(text(m, "id"), m.path("region").asText(""), raft, raft, raft, raft));
    }
    return out;
  }

  /** Optional {@code "steps": [75, 50, 0]} (or {@code "75,50,0"}); null when absent. */
  static List<Integer> steps(JsonNode body) {
    JsonNode v = body.get("steps");
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return EvacuationPlan.parseSteps(v.asText());
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("field 'steps' must be a list of percentages, e.g. [75, 50, 0]");
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : v) {
      if (!n.isInt()) {
        throw new IllegalArgumentException("field 'steps' must hold whole percentages, found " + n);
      }
      out.add(n.asInt());
    }
    return out;
  }

  /** Optional {@code "hold": "10s"}; null when absent. */
  static Duration hold(JsonNode body) {
    return duration(body, "hold", "\"30s\" or \"2m\"");
  }

  /** An optional duration field; null when absent. */
  static Duration duration(JsonNode body, String field, String examples) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a duration such as " + examples);
    }
    try {
      return Durations.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field '" + field + "': " + e.getMessage());
    }
  }

  static long instant(JsonNode body, String field) {
    String v = text(body, field);
    try {
      return java.time.Instant.parse(v).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 instant such as"
          + " 2026-12-24T22:00:00Z, was '" + v + "'");
    }
  }

  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is required (a non-empty string)");
    }
    return v.asText();
  }
}
