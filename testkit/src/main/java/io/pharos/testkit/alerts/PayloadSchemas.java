package io.pharos.testkit.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The receivers' schemas as docs/alerts.md documents them - PagerDuty Events API v2, Slack incoming
 * webhooks with blocks, Alertmanager's v2 {@code postableAlerts} - checked field by field: required
 * fields, their types and allowed values, and no field the receiver does not know. Each check
 * returns the violations (empty when the body conforms).
 */
public final class PayloadSchemas {
  static final Set<String> PD_TOP = Set.of("routing_key", "event_action", "dedup_key", "payload", "images", "links",
      "client", "client_url");
  static final Set<String> PD_PAYLOAD = Set.of("summary", "source", "severity", "timestamp", "component", "group",
      "class", "custom_details");
  static final Set<String> AM_ALERT = Set.of("labels", "annotations", "startsAt", "endsAt", "generatorURL");

  private PayloadSchemas() {}

  /** A PagerDuty Events API v2 event: a trigger carries the payload; a resolve needs only the key. */
  public static List<String> pagerDuty(JsonNode e) {
    List<String> v = new ArrayList<>();
    if (!e.isObject()) {
      return List.of("not a JSON object");
    }
    fieldsOnly(e, PD_TOP, "", v);
    text(e, "routing_key", 1, 64, v);
    if (!Set.of("trigger", "acknowledge", "resolve").contains(e.path("event_action").asText())) {
      v.add("event_action: must be trigger, acknowledge or resolve, was " + e.get("event_action"));
    }
    text(e, "dedup_key", 1, 255, v);
    if ("trigger".equals(e.path("event_action").asText())) {
      JsonNode p = e.get("payload");
      if (p == null || !p.isObject()) {
        v.add("payload: required for a trigger");
        return v;
      }
      fieldsOnly(p, PD_PAYLOAD, "payload.", v);
      text(p, "summary", 1, 1024, v);
      text(p, "source", 1, 255, v);
      if (!Set.of("critical", "error", "warning", "info").contains(p.path("severity").asText())) {
        v.add("payload.severity: must be critical, error, warning or info, was " + p.get("severity"));
      }
      if (p.has("timestamp")) {
        instant(p, "timestamp", v);
      }
      if (p.has("custom_details") && !p.get("custom_details").isObject()) {
        v.add("payload.custom_details: must be an object");
      }
    }
    return v;
  }

  /** A Slack incoming-webhook message: {@code text} (the notification) and blocks of known types. */
  public static List<String> slack(JsonNode m) {
    List<String> v = new ArrayList<>();
    text(m, "text", 1, 40_000, v);
    if (m.has("blocks")) {
      if (!m.get("blocks").isArray() || m.get("blocks").size() > 50) {
        v.add("blocks: must be an array of at most 50 blocks");
        return v;
      }
      for (JsonNode b : m.get("blocks")) {
        String type = b.path("type").asText();
        switch (type) {
          case "header" -> {
            expect(b.at("/text/type").asText().equals("plain_text"), "header.text.type must be plain_text", v);
            length(b.at("/text/text").asText(), 1, 150, "header.text.text", v);
          }
          case "section" -> {
            expect(Set.of("mrkdwn", "plain_text").contains(b.at("/text/type").asText()),
                "section.text.type must be mrkdwn or plain_text", v);
            length(b.at("/text/text").asText(), 1, 3000, "section.text.text", v);
          }
          case "context" -> {
            expect(b.path("elements").isArray() && b.get("elements").size() > 0, "context.elements: a non-empty array",
                v);
            b.path("elements").forEach(el -> expect(Set.of("mrkdwn", "plain_text", "image")
                .contains(el.path("type").asText()), "context element type " + el.get("type"), v));
          }
          default -> v.add("blocks: unknown block type " + b.get("type"));
        }
      }
    }
    return v;
  }

  /** Alertmanager v2 {@code POST /api/v2/alerts}: an array of alerts with string labels and annotations. */
  public static List<String> alertmanager(JsonNode body) {
    List<String> v = new ArrayList<>();
    if (!body.isArray() || body.isEmpty()) {
      return List.of("must be a non-empty array of alerts");
    }
    for (JsonNode a : body) {
      fieldsOnly(a, AM_ALERT, "", v);
      JsonNode labels = a.get("labels");
      if (labels == null || !labels.isObject()) {
        v.add("labels: required object");
        continue;
      }
      text(labels, "alertname", 1, 1024, v);
      labels.fields().forEachRemaining(f -> {
        expect(f.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*"), "label name " + f.getKey(), v);
        expect(f.getValue().isTextual(), "label " + f.getKey() + " must be a string", v);
      });
      if (a.has("annotations")) {
        a.get("annotations").fields().forEachRemaining(f -> expect(f.getValue().isTextual(),
            "annotation " + f.getKey() + " must be a string", v));
      }
      Instant starts = instant(a, "startsAt", v);
      Instant ends = instant(a, "endsAt", v);
      if (starts != null && ends != null && ends.isBefore(starts)) {
        v.add("endsAt before startsAt");
      }
    }
    return v;
  }

  private static Instant instant(JsonNode n, String field, List<String> v) {
    try {
      return Instant.parse(n.path(field).asText());
    } catch (DateTimeParseException e) {
      v.add(field + ": not an RFC 3339 time: " + n.get(field));
      return null;
    }
  }

  private static void text(JsonNode n, String field, int min, int max, List<String> v) {
    JsonNode f = n.get(field);
    if (f == null || !f.isTextual()) {
      v.add(field + ": required string");
      return;
    }
    length(f.asText(), min, max, field, v);
  }

  private static void length(String s, int min, int max, String field, List<String> v) {
    if (s.length() < min || s.length() > max) {
      v.add(field + ": length must be " + min + ".." + max + ", was " + s.length());
    }
  }

  private static void expect(boolean ok, String what, List<String> v) {
    if (!ok) {
      v.add(what);
    }
  }

  private static void fieldsOnly(JsonNode n, Set<String> known, String prefix, List<String> v) {
    n.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        v.add(prefix + f + ": not a field of the schema");
      }
    });
  }
}
