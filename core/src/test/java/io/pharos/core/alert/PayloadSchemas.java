package io.pharos.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;

/**
 * The receivers' schemas as docs/alerts.md documents them (PagerDuty Events API v2, Slack incoming
 * webhooks with blocks, Alertmanager's postableAlerts), checked field by field: required fields,
 * their types and allowed values, and no field the receiver does not know.
 */
public final class PayloadSchemas {
  static final Set<String> PD_TOP = Set.of("routing_key", "event_action", "dedup_key", "payload", "images", "links",
      "client", "client_url");
  static final Set<String> PD_PAYLOAD = Set.of("summary", "source", "severity", "timestamp", "component", "group",
      "class", "custom_details");
  static final Set<String> AM_ALERT = Set.of("labels", "annotations", "startsAt", "endsAt", "generatorURL");

  private PayloadSchemas() {}

  /** A PagerDuty Events API v2 event (trigger needs the payload; resolve only the key). */
  public static void pagerDuty(JsonNode e) {
    assertThat(e.isObject()).isTrue();
    fieldsOnly(e, PD_TOP);
    nonEmptyText(e, "routing_key");
    assertThat(e.get("event_action").asText()).isIn("trigger", "acknowledge", "resolve");
    nonEmptyText(e, "dedup_key");
    assertThat(e.get("dedup_key").asText().length()).isLessThanOrEqualTo(255);
    if (e.get("event_action").asText().equals("trigger")) {
      JsonNode p = e.get("payload");
      assertThat(p).as("payload of a trigger").isNotNull();
      fieldsOnly(p, PD_PAYLOAD);
      nonEmptyText(p, "summary");
      assertThat(p.get("summary").asText().length()).isLessThanOrEqualTo(1024);
      nonEmptyText(p, "source");
      assertThat(p.get("severity").asText()).isIn("critical", "error", "warning", "info");
      Instant.parse(p.get("timestamp").asText());
      if (p.has("custom_details")) {
        assertThat(p.get("custom_details").isObject()).isTrue();
      }
    }
  }

  /** A Slack incoming-webhook message: text (the notification) and blocks of known types. */
  public static void slack(JsonNode m) {
    nonEmptyText(m, "text");
    assertThat(m.get("blocks").isArray()).isTrue();
    for (JsonNode b : m.get("blocks")) {
      String type = b.get("type").asText();
      assertThat(type).isIn("header", "section", "context");
      if (type.equals("header")) {
        assertThat(b.at("/text/type").asText()).isEqualTo("plain_text");
        assertThat(b.at("/text/text").asText().length()).isBetween(1, 150);
      } else if (type.equals("section")) {
        assertThat(b.at("/text/type").asText()).isIn("mrkdwn", "plain_text");
        assertThat(b.at("/text/text").asText().length()).isBetween(1, 3000);
      } else {
        assertThat(b.get("elements").isArray()).isTrue();
        b.get("elements").forEach(el -> assertThat(el.get("type").asText()).isIn("mrkdwn", "plain_text", "image"));
      }
    }
  }

  /** Alertmanager v2 {@code POST /api/v2/alerts}: an array of alerts with string labels and annotations. */
  public static void alertmanager(JsonNode body) {
    assertThat(body.isArray()).isTrue();
    assertThat(body.size()).isPositive();
    for (JsonNode a : body) {
      fieldsOnly(a, AM_ALERT);
      assertThat(a.get("labels").isObject()).isTrue();
      nonEmptyText(a.get("labels"), "alertname");
      a.get("labels").fields().forEachRemaining(f -> {
        assertThat(f.getKey()).matches("[a-zA-Z_][a-zA-Z0-9_]*");
        assertThat(f.getValue().isTextual()).isTrue();
      });
      if (a.has("annotations")) {
        a.get("annotations").fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).isTrue());
      }
      Instant starts = Instant.parse(a.get("startsAt").asText());
      Instant ends = Instant.parse(a.get("endsAt").asText());
      assertThat(ends).isAfterOrEqualTo(starts);
    }
  }

  private static void nonEmptyText(JsonNode n, String field) {
    assertThat(n.get(field)).as(field).isNotNull();
    assertThat(n.get(field).isTextual()).as(field + " is a string").isTrue();
    assertThat(n.get(field).asText()).as(field).isNotBlank();
  }

  private static void fieldsOnly(JsonNode n, Set<String> known) {
    n.fieldNames().forEachRemaining(f -> assertThat(known).as("known fields").contains(f));
  }
}
