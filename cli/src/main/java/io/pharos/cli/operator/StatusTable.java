package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/status} for people: a summary of the controller that answered, what is in flight
 * and waiting, the findings, and one line per region. Reads only the JSON, so a field an older
 * controller lacks shows as {@code ?} rather than failing.
 */
final class StatusTable {
  static final List<String> REGION_COLUMNS = List.of("REGION", "VERDICT", "MODE", "WEIGHT", "AGENTS", "LAST CHANGE");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private StatusTable() {}

  /**
   * The region table, by region name: region, verdict (health state; "out" when failed over), mode,
   * weight, agents (live/known), last change.
   */
  static String regions(JsonNode status, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(REGION_COLUMNS);
    JsonNode regions = status.path("regions");
    List<String> names = new ArrayList<>();
    regions.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    for (String r : names) {
      JsonNode n = regions.path(r);
      String verdict = n.path("state").asText("?") + (n.path("out").asBoolean(false) ? " (out)" : "");
      JsonNode agents = status.path("agents").path("regions").path(r);
      String agentCell = agents.isMissingNode() ? "?"
          : agents.path("live").asInt() + "/" + agents.path("known").asInt();
      rows.add(List.of(r, verdict, n.path("mode").asText("?"), weight(status.path("zone").path("weights"), r),
          agentCell, since(n.path("lastChangeAt"), now)));
    }
    return table(rows);
  }

  /** The summary above the region table. */
  static String summary(JsonNode s, String answeredBy) {
    StringBuilder b = new StringBuilder();
    b.append("controller ").append(s.path("controller").asText("?")).append(" (").append(s.path("role").asText("?"))
        .append(s.path("acting").asBoolean(false) ? ", acting leader" : "").append("), term ")
        .append(s.path("term").asText("?")).append(", leader ").append(s.path("leader").asText("none"))
        .append("; via ").append(answeredBy).append('\n');
    JsonNode p = s.path("dnsProvider");
    if (!p.isMissingNode()) {
      b.append("DNS provider ").append(p.path("name").asText("?")).append(": ").append(p.path("state").asText("?"))
          .append(", breaker ").append(p.path("breaker").asText("?"));
      if (!p.path("detail").asText("").isEmpty()) {
        b.append(" (").append(p.path("detail").asText()).append(')');
      }
      b.append('\n');
    }
    JsonNode zone = s.path("zone");
    if (!zone.isMissingNode()) {
      b.append("zone serial ").append(zone.path("serial").asText("?")).append(", token ")
          .append(zone.path("token").asText("?")).append('\n');
    }
    long grace = s.path("graceRemainingMs").asLong(0);
    if (grace > 0) {
      b.append("start-up grace: ").append(grace / 1000).append(" s left (no automatic failover yet)\n");
    }
    JsonNode pending = s.path("pending");
    b.append("in flight: ").append(pending.isObject() ? pending.path("decisionId").asText() + " "
        + pending.path("phase").asText() + " (token " + pending.path("token").asText() + ")" : "nothing").append('\n');
    for (JsonNode a : s.path("approvals")) {
      b.append("WAITING FOR APPROVAL: ").append(a.path("decisionId").asText()).append(' ')
          .append(a.path("kind").asText())
          .append(' ').append(a.path("regions")).append(": ").append(a.path("why").asText())
          .append(" (pharos approve|reject ").append(a.path("decisionId").asText()).append(")\n");
    }
    JsonNode ev = s.path("evacuation");
    if (ev.isObject()) {
      b.append("evacuation of ").append(ev.path("region").asText()).append(": ").append(ev.path("phase").asText())
          .append(", ").append(ev.path("percent").asText()).append("% moved\n");
    }
    for (JsonNode a : s.path("analyses")) {
      b.append(a.path("severity").asText()).append(' ').append(a.path("code").asText());
      if (!a.path("region").isNull() && !a.path("region").asText("").isEmpty()) {
        b.append(' ').append(a.path("region").asText());
      }
      b.append(": ").append(a.path("message").asText()).append('\n');
    }
    return b.toString();
  }

  /** The region's weight in each DNS record (one number when there is one record). */
  static String weight(JsonNode zoneWeights, String region) {
    List<String> parts = new ArrayList<>();
    int records = zoneWeights.size();
    for (Iterator<Map.Entry<String, JsonNode>> it = zoneWeights.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode w = e.getValue().path(region);
      String v = w.isMissingNode() ? "-" : w.asText();
      parts.add(records == 1 ? v : e.getKey() + "=" + v);
    }
    return parts.isEmpty() ? "?" : String.join(" ", parts);
  }

  static String since(JsonNode at, Instant now) {
    if (at.isMissingNode() || at.isNull()) {
      return "?";
    }
    long ms = at.asLong();
    if (ms <= 0) {
      return "never";
    }
    Instant t = Instant.ofEpochMilli(ms);
    return TIME.format(t) + " (" + ago(Duration.between(t, now)) + ")";
  }

  static String ago(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600) / 60 + "m ago";
    }
    return s / 86_400 + "d" + (s % 86_400) / 3600 + "h ago";
  }

  /** Left-aligned columns, two spaces apart, each as wide as its widest cell. */
  static String table(List<List<String>> rows) {
    int[] width = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
