package io.pharos.core.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pharos.core.journal.Incident;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.report.EventLine;
import io.pharos.core.report.Mark;
import io.pharos.core.report.Measure;
import io.pharos.core.report.SignOff;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report of a real failover, failback or evacuation, in the drill report's format (timeline
 * of marks against targets, RTO and RPO, controller events, sign-off) plus what only a real
 * incident has: its impact, the alerts journaled while it was open, who approved, and action items
 * for people to fill in. Built from the replicated {@link Incident}, so every controller renders
 * the same report; no drill runner is involved.
 *
 * @param origin what the timeline's times count from (the first failing probe, else the decision)
 * @param originAt epoch millis of the origin
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record IncidentReport(String schema, String id, String title, String kind, String status, List<String> regions,
    String openedAt, String resolvedAt, String summary, String startedBy, List<String> approvedBy, String origin,
    long originAt, List<Mark> timeline, Measure rto, Measure rpo, List<String> impact, List<EventLine> alerts,
    List<EventLine> events, List<String> actionItems, SignOff signOff) {
  public static final String SCHEMA = "pharos.incident-report/v1";
  /** Detection target (DESIGN.md, "Time budget for one hard region loss"). */
  public static final long DETECT_TARGET_MS = 3_000;
  /** DNS committed target (DESIGN.md, same table). */
  public static final long DNS_TARGET_MS = 5_000;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The report of {@code inc} as it stands (an open incident's report grows until it is resolved). */
  public static IncidentReport of(Incident inc) {
    String first = inc.decisionIds().isEmpty() ? null : inc.decisionIds().get(0);
    PharosEvent firstFailure = first == null ? null : inc.first(EventType.FIRST_FAILURE, first);
    String origin;
    long originAt;
    if (firstFailure != null) {
      origin = "the first failing probe";
      originAt = firstFailure.at();
    } else {
      origin = inc.kind() == Incident.Kind.EVACUATION ? "the evacuation's start" : "the decision";
      originAt = inc.openedAt();
    }
    List<Mark> marks = new ArrayList<>();
    boolean failover = inc.kind() == Incident.Kind.FAILOVER;
    if (firstFailure != null) {
      marks.add(mark("first-failing-probe", "first failing probe", firstFailure.at(), originAt, null));
      PharosEvent detected = inc.first(EventType.DETECTED, first);
      marks.add(mark("detected", "detected (region DOWN)", detected == null ? null : detected.at(), originAt,
          failover ? DETECT_TARGET_MS : null));
    }
    int k = 0;
    for (String d : inc.decisionIds()) {
      k++;
      PharosEvent decided = inc.first(EventType.DECIDED, d);
      String what = decided == null || decided.detail() == null ? "decision " + k : kindOf(decided.detail()) + " "
          + decided.region();
      String p = inc.decisionIds().size() == 1 ? "" : "[" + k + "] ";
      marks.add(mark("decided:" + d, p + what + ": decided (intent committed)", at(decided), originAt, null));
      marks.add(mark("fenced:" + d, p + "fenced (modes published)", at(inc.first(EventType.FENCED, d)), originAt,
          null));
      marks.add(mark("dns-committed:" + d, p + "DNS committed", at(inc.first(EventType.DNS_COMMITTED, d)), originAt,
          failover && k == 1 ? DNS_TARGET_MS : null));
      marks.add(mark("verified:" + d, p + "every name server answers it", at(inc.first(EventType.VERIFIED, d)),
          originAt, null));
      marks.add(mark("completed:" + d, p + "completed", at(inc.first(EventType.COMPLETED, d)), originAt, null));
    }
    marks.add(mark("resolved", "resolved (every region back in traffic)", inc.resolvedAt() == 0 ? null
        : inc.resolvedAt(), originAt, null));
    List<EventLine> events = inc.timeline().stream().map(e -> line(e, originAt)).toList();
    List<EventLine> alerts = inc.alerts().stream().map(e -> line(e, originAt)).toList();
    return new IncidentReport(SCHEMA, inc.id(), inc.title(), inc.kind().name(), inc.status().label(), inc.regions(),
        Instant.ofEpochMilli(inc.openedAt()).toString(), inc.resolvedAt() == 0 ? null
        : Instant.ofEpochMilli(inc.resolvedAt()).toString(), summary(inc), inc.startedBy(), inc.approvedBy(), origin,
        originAt, marks, rto(inc, first, originAt, origin), rpo(inc), impact(inc), alerts, events,
        List.of(), SignOff.BLANK);
  }

  private static Measure rto(Incident inc, String first, long originAt, String origin) {
    if (inc.kind() != Incident.Kind.FAILOVER || first == null) {
      return new Measure("RTO", null, null, "not applicable: a planned change, no service was lost", null, null);
    }
    PharosEvent verified = inc.first(EventType.VERIFIED, first);
    PharosEvent dns = inc.first(EventType.DNS_COMMITTED, first);
    if (verified != null) {
      return new Measure("RTO", null, verified.at() - originAt, origin + " → every name server answers without the"
          + " region (resolvers may hold the old answer for the record TTL longer)", null, null);
    }
    if (dns != null) {
      return new Measure("RTO", null, dns.at() - originAt, origin + " → DNS committed (not yet verified), plus the"
          + " record TTL", null, null);
    }
    return new Measure("RTO", null, null, "not measured: no DNS change yet", null, null);
  }

  private static Measure rpo(Incident inc) {
    if (inc.kind() != Incident.Kind.FAILOVER) {
      return new Measure("RPO", null, null, "not applicable: the write primary was not lost", null, null);
    }
    return new Measure("RPO", null, null, "not measured: the controllers read no replication lag for a real"
        + " failover; take it from the database's own records", null, "fill in from the database");
  }

  private static List<String> impact(Incident inc) {
    List<String> out = new ArrayList<>();
    for (String r : inc.regions()) {
      Long outAt = null;
      Long backAt = null;
      for (PharosEvent e : inc.timeline()) {
        if (e.type() == EventType.DNS_COMMITTED && e.region() != null && List.of(e.region().split(",")).contains(r)) {
          String kind = kindOfDecision(inc, e.decisionId());
          if (!"FAILBACK".equals(kind) && outAt == null) {
            outAt = e.at();
          } else if ("FAILBACK".equals(kind)) {
            backAt = e.at();
          }
        }
      }
      if (outAt != null) {
        out.add(r + " out of traffic from " + Instant.ofEpochMilli(outAt) + (backAt == null ? ", still out"
            : " to " + Instant.ofEpochMilli(backAt) + " (" + HumanDurations.human(backAt - outAt) + ")"));
      } else if (backAt != null) {
        out.add(r + " back in traffic at " + Instant.ofEpochMilli(backAt));
      }
    }
    for (Map.Entry<String, Map<String, Integer>> rec : new java.util.TreeMap<>(inc.weightsAfter()).entrySet()) {
      Map<String, Integer> was = inc.weightsBefore().getOrDefault(rec.getKey(), Map.of());
      if (!was.equals(rec.getValue())) {
        out.add(rec.getKey() + " weights " + new java.util.TreeMap<>(was) + " → " + new java.util.TreeMap<>(
            rec.getValue()));
      }
    }
    if (inc.kind() == Incident.Kind.FAILOVER) {
      out.add("users resolving " + String.join(", ", inc.regions()) + "'s addresses until the DNS change (and for the"
          + " record TTL after it) reached a region that was failing");
    }
    return out;
  }

  private static String summary(Incident inc) {
    String who = inc.automatic() ? "automatic (" + inc.code() + ")" : inc.startedBy() == null ? "operator"
        : "operator " + inc.startedBy();
    return inc.status().label() + ": " + inc.title() + "; " + who + (inc.approvedBy().isEmpty() ? ""
        : ", approved by " + String.join("; ", inc.approvedBy())) + "; " + inc.decisionIds().size() + " change"
        + (inc.decisionIds().size() == 1 ? "" : "s");
  }

  private static String kindOfDecision(Incident inc, String decisionId) {
    PharosEvent decided = inc.first(EventType.DECIDED, decisionId);
    return decided == null || decided.detail() == null ? "" : kindOf(decided.detail());
  }

  /** A DECIDED event's detail starts with the intent's kind ({@code FAILOVER (automatic): ...}). */
  private static String kindOf(String detail) {
    int sp = detail.indexOf(' ');
    return sp < 0 ? detail : detail.substring(0, sp);
  }

  private static Long at(PharosEvent e) {
    return e == null ? null : e.at();
  }

  private static Mark mark(String key, String label, Long at, long originAt, Long targetMs) {
    Long since = at == null ? null : at - originAt;
    Boolean within = targetMs == null ? null : since != null && since <= targetMs;
    return new Mark(key, label, at, since, targetMs, within);
  }

  private static EventLine line(PharosEvent e, long originAt) {
    return new EventLine(e.at(), e.at() - originAt, e.type().name(), e.region(), e.code(), e.detail(), e.controller());
  }

  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
