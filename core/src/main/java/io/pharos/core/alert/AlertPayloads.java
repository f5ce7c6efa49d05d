package io.pharos.core.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The bodies each receiver type takes (docs/alerts.md shows them): pure functions of the notice,
 * so the shapes are tested without a network.
 */
public final class AlertPayloads {
  /** PagerDuty caps {@code payload.summary} at 1024 characters. */
  static final int PAGERDUTY_SUMMARY_MAX = 1024;
  /** Slack caps a header block at 150 characters and a section's text at 3000. */
  static final int SLACK_HEADER_MAX = 150;
  static final int SLACK_SECTION_MAX = 3000;
  /**
   * How long Alertmanager holds a raised alert without hearing from us: Pharos posts a raise once
   * and its clear once (no periodic re-send), so the raise must not time out in the meantime.
   */
  public static final Duration ALERTMANAGER_HOLD = Duration.ofDays(7);

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertPayloads() {}

  /** A Slack incoming-webhook message: {@code text} (the notification) and {@code blocks}. */
  public static ObjectNode slack(AlertNotice n) {
    ObjectNode body = JSON.createObjectNode();
    body.put("text", n.title() + ": " + n.summary());
    ArrayNode blocks = body.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", cut(n.title(), SLACK_HEADER_MAX));
    ObjectNode section = blocks.addObject().put("type", "section");
    section.putObject("text").put("type", "mrkdwn").put("text", cut(n.summary(), SLACK_SECTION_MAX));
    ObjectNode context = blocks.addObject().put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn").put("text", "environment `" + n.environment()
        + "` · controller `" + n.source() + "` · " + Instant.ofEpochMilli(n.at()) + " · `" + n.dedupKey() + "`");
    return body;
  }

  /**
   * A PagerDuty Events API v2 event: {@code trigger} with the payload, or {@code resolve} with the
   * same {@code dedup_key}.
   */
  public static ObjectNode pagerDuty(AlertNotice n, String routingKey) {
    ObjectNode body = JSON.createObjectNode();
    body.put("routing_key", routingKey);
    body.put("event_action", n.resolved() ? "resolve" : "trigger");
    body.put("dedup_key", n.dedupKey());
    if (n.resolved()) {
      return body;
    }
    body.put("client", "Pharos");
    ObjectNode p = body.putObject("payload");
    p.put("summary", cut(n.title() + ": " + n.summary(), PAGERDUTY_SUMMARY_MAX));
    p.put("source", n.source());
    p.put("severity", n.severity().name().toLowerCase(Locale.ROOT));
    p.put("timestamp", Instant.ofEpochMilli(n.at()).toString());
    if (n.region() != null) {
      p.put("component", n.region());
    }
    p.put("group", n.environment());
    p.put("class", n.code());
    p.putObject("custom_details").put("message", n.summary()).put("environment", n.environment());
    return body;
  }

  /**
   * Alertmanager's {@code POST /api/v2/alerts} body: one entry per notice (a batch is one request).
   * Labels identify the alert (its fingerprint); a resolve has {@code endsAt} at the clear.
   */
  public static ArrayNode alertmanager(List<AlertNotice> notices) {
    ArrayNode body = JSON.createArrayNode();
    for (AlertNotice n : notices) {
      ObjectNode a = body.addObject();
      ObjectNode labels = a.putObject("labels");
      labels.put("alertname", n.code());
      labels.put("severity", n.severity().name().toLowerCase(Locale.ROOT));
      labels.put("environment", n.environment());
      if (n.region() != null) {
        labels.put("region", n.region());
      }
      labels.put("dedup_key", n.dedupKey());
      labels.put("source", "pharos");
      ObjectNode annotations = a.putObject("annotations");
      annotations.put("summary", n.title());
      annotations.put("description", n.summary());
      annotations.put("controller", n.source());
      Instant at = Instant.ofEpochMilli(n.at());
      a.put("startsAt", at.toString());
      a.put("endsAt", (n.resolved() ? at : at.plus(ALERTMANAGER_HOLD)).toString());
    }
    return body;
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
