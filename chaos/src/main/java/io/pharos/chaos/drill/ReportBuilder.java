package io.pharos.chaos.drill;

import io.pharos.chaos.observe.DnsWatcher;
import io.pharos.chaos.report.DrillReport;
import io.pharos.core.report.EventLine;
import io.pharos.chaos.report.DrillReport.FaultLine;
import io.pharos.core.report.Mark;
import io.pharos.core.report.Measure;
import io.pharos.chaos.report.DrillReport.StepResult;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns what a run saw into a {@link DrillReport}: timeline, outcome, RTO/RPO, deviations, remediation. */
final class ReportBuilder {
  static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Scenario s;
  private final DrillEnvironment env;
  private final boolean practice;
  private final long started;
  private final Observer observer;
  private final Conditions conditions;
  private final List<String> deviations = new ArrayList<>();
  private final List<String> remediation = new ArrayList<>();
  private boolean outcomeOk = true;
  private boolean targetsMet = true;

  ReportBuilder(Scenario s, DrillEnvironment env, boolean practice, long started, Observer observer,
      Conditions conditions) {
    this.s = s;
    this.env = env;
    this.practice = practice;
    this.started = started;
    this.observer = observer;
    this.conditions = conditions;
  }

  static DrillReport pending(Scenario s, String environment, long at) {
    return new DrillReport(DrillReport.SCHEMA, ID.format(Instant.ofEpochMilli(at)) + "-" + s.name(), s.name(),
        s.title(), s.description(), s.source(), environment, false, "PENDING", true, "PENDING: " + s.pending().strip(),
        s.expect().describe(), "not run", Instant.ofEpochMilli(at).toString(), at, at, null, List.of(), List.of(),
        List.of(), List.of(), null, null, List.of(), List.of(), s.notes(), io.pharos.core.report.SignOff.BLANK,
        s.pending().strip(), s.schedule(), null);
  }

  DrillReport build(List<StepResult> steps, List<FaultLine> faults, Long faultAt, Long recoveredAt, String aborted,
      List<String> problems, List<String> notes) {
    long finished = System.currentTimeMillis();
    problems.forEach(p -> outcome(p, "See the events around this step in the timeline below."));
    List<PharosEvent> events = observer.events();
    String focus = s.expect().failoverRegions().isEmpty() ? faults.isEmpty() ? null : firstRegion(faults)
        : s.expect().failoverRegions().get(0);
    List<Mark> timeline = timeline(faultAt, focus, recoveredAt, faults);
    checkOutcome(events, faultAt);
    DrillReport.ProviderApi providerApi = ProviderApiCheck.measure(env, observer, faults, started, finished)
        .map(c -> {
          c.deviations().forEach(d -> outcome(d, REMEDIATION.get("provider")));
          return c.api();
        }).orElse(null);
    Measure rto = rto(timeline);
    Measure rpo = rpo(faultAt, timeline);
    List<String> allNotes = new ArrayList<>(s.notes());
    allNotes.addAll(notes);
    if (faultAt != null) {
      String before = events.stream().filter(e -> e.type() == EventType.ALERT && e.at() < faultAt && e.code() != null
          && (e.detail() == null || !e.detail().startsWith("cleared"))).map(PharosEvent::code).distinct()
          .collect(Collectors.joining(", "));
      if (!before.isEmpty()) {
        allNotes.add("alerts already raised before the fault (not caused by it): " + before);
      }
    }
    observer.resolvers(focus == null ? "" : focus).ifPresent(w -> allNotes.add(w.queries() + " queries by the"
        + " resolver check to " + (w.sources().size() == 1 ? w.sources().get(0) : w.sources().size() + " name servers")
        + ", " + w.failures() + " unanswered"));
    String status = aborted != null ? "ABORTED" : outcomeOk ? "PASS" : "FAIL";
    String actual = actual(events);
    String summary = switch (status) {
      case "PASS" -> "PASS: " + actual + (targetsMet ? "; every timing target met" : "; timing targets missed");
      case "ABORTED" -> "ABORTED: " + aborted;
      default -> "FAIL: " + deviations.get(0);
    };
    List<EventLine> lines = events.stream().sorted(java.util.Comparator.comparingLong(PharosEvent::at))
        .map(e -> new EventLine(e.at(), faultAt == null ? null : e.at() - faultAt,
        e.type().name(), e.region(), e.code(), e.detail(), e.controller())).toList();
    return new DrillReport(DrillReport.SCHEMA, ID.format(Instant.ofEpochMilli(started)) + "-" + s.name(), s.name(),
        s.title(), s.description(), s.source(), env.describe(), practice, status, targetsMet, summary,
        s.expect().describe(), actual, Instant.ofEpochMilli(started).toString(), started, finished, faultAt, timeline,
        steps, faults, lines, rto, rpo, deviations, remediation, allNotes, io.pharos.core.report.SignOff.BLANK, null,
        s.schedule(), providerApi);
  }

  private String firstRegion(List<FaultLine> faults) {
    for (Scenario.Step st : s.steps()) {
      if (st instanceof Scenario.Inject i && i.target() != null && i.target().contains("@")
          && !i.target().endsWith("@leader")) {
        return i.target().substring(i.target().indexOf('@') + 1);
      }
      if (st instanceof Scenario.Inject i && !i.sideA().isEmpty()) {
        String ref = i.sideA().get(0);
        return ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : ref;
      }
    }
    return null;
  }

  private List<Mark> timeline(Long faultAt, String region, Long recoveredAt, List<FaultLine> faults) {
    List<Mark> marks = new ArrayList<>();
    Scenario.Targets t = s.targets();
    boolean operatorOnly = s.steps().stream().noneMatch(st -> st instanceof Scenario.Inject);
    marks.add(mark("fault-injected", operatorOnly ? "first operator command" : "fault injected", faultAt, faultAt,
        null));
    for (String r : s.expect().evacuated()) {
      evacuationMarks(r, faultAt, marks);
    }
    if (region != null) {
      marks.add(event("first-failing-probe", "first failing probe", EventType.FIRST_FAILURE, region, faultAt, null));
      marks.add(event("detected", "detected (region DOWN)", EventType.DETECTED, region, faultAt, t.detect()));
      marks.add(event("decided", "decided (intent committed)", EventType.DECIDED, region, faultAt, null));
      marks.add(event("fenced", "fenced (read-only)", EventType.FENCED, region, faultAt, null));
      marks.add(event("dns-committed", "DNS committed", EventType.DNS_COMMITTED, region, faultAt, t.dnsCommitted()));
      marks.add(event("provider-in-sync", "provider in sync (verified)", EventType.VERIFIED, region, faultAt, null));
      Long settled = observer.resolvers(region).map(DnsWatcher::settledAt).filter(x -> x > 0).orElse(null);
      marks.add(mark("resolvers-cut-over", "resolvers saw the new answer", settled, faultAt, t.resolvers()));
    }
    for (PharosEvent e : observer.events()) {
      if (e.type() == EventType.ALERT && e.detail() != null && !e.detail().startsWith("cleared") && e.code() != null
          && (faultAt == null || e.at() >= faultAt) && marks.stream().noneMatch(m -> m.key().equals("alert:"
          + e.code()))) {
        marks.add(mark("alert:" + e.code(), "alert " + e.code(), e.at(), faultAt, null));
      }
    }
    Long reverted = faults.stream().map(FaultLine::revertedAt).filter(x -> x != null).max(Long::compare).orElse(null);
    marks.add(mark("reverted", "faults reverted", reverted, faultAt, null));
    Long back = region == null ? recoveredAt : failbackCompleted(region, reverted).orElse(recoveredAt);
    marks.add(mark("recovered", "recovered", back, faultAt, null));
    return marks;
  }

  /** One mark per evacuation step committed to DNS, then the failback's DNS change. */
  private void evacuationMarks(String region, Long faultAt, List<Mark> marks) {
    int k = 0;
    for (PharosEvent e : dnsCommitted(region, "EVACUATE")) {
      k++;
      marks.add(mark("evacuation-step-" + k, "evacuation step " + k + " DNS committed (" + e.detail() + ")", e.at(),
          faultAt, null));
    }
    Long evacuatedAt = observer.events().stream().filter(e -> e.type() == EventType.ALERT && "Evacuated".equals(e.code())
        && region.equals(e.region())).map(PharosEvent::at).findFirst().orElse(null);
    marks.add(mark("evacuated", region + " evacuated (last step completed)", evacuatedAt, faultAt, null));
    Long failback = dnsCommitted(region, "FAILBACK").stream().map(PharosEvent::at)
        .filter(at -> evacuatedAt != null && at >= evacuatedAt).findFirst().orElse(null);
    marks.add(mark("failback-dns-committed", "failback DNS committed", failback, faultAt, null));
  }

  /** DNS_COMMITTED events of decisions of one kind concerning a region, in order. */
  private List<PharosEvent> dnsCommitted(String region, String kind) {
    return observer.events().stream().filter(e -> e.type() == EventType.DNS_COMMITTED)
        .filter(e -> e.region() != null && List.of(e.region().split(",")).contains(region))
        .filter(e -> kind.equals(observer.decisionKind(e.decisionId()).orElse("")))
        .sorted(java.util.Comparator.comparingLong(PharosEvent::at)).toList();
  }

  private Optional<Long> failbackCompleted(String region, Long after) {
    return observer.events().stream().filter(e -> e.type() == EventType.COMPLETED)
        .filter(e -> e.region() != null && List.of(e.region().split(",")).contains(region))
        .filter(e -> "FAILBACK".equals(observer.decisionKind(e.decisionId()).orElse("")))
        .filter(e -> after == null || e.at() >= after).map(PharosEvent::at).findFirst();
  }

  private Mark event(String key, String label, EventType type, String region, Long faultAt, Duration target) {
    Long at = conditions.failoverEvent(type, region).map(PharosEvent::at).orElse(null);
    return mark(key, label, at, faultAt, target);
  }

  private Mark mark(String key, String label, Long at, Long faultAt, Duration target) {
    Long since = at == null || faultAt == null ? null : at - faultAt;
    Long targetMs = target == null ? null : target.toMillis();
    Boolean within = targetMs == null ? null : since != null && since <= targetMs;
    if (Boolean.FALSE.equals(within)) {
      targetsMet = false;
      deviations.add(label + ": " + (since == null ? "not seen" : secs(since)) + ", target ≤ " + secs(targetMs));
      remediation.add(REMEDIATION.getOrDefault(key, "Investigate the timeline around " + label + "."));
    }
    return new Mark(key, label, at, since, targetMs, within);
  }

  private void checkOutcome(List<PharosEvent> events, Long faultAt) {
    List<PharosEvent> failovers = conditions.failovers();
    Scenario.Expectation x = s.expect();
    for (String r : x.failoverRegions()) {
      List<PharosEvent> mine = failovers.stream().filter(e -> r.equals(e.region())).toList();
      Optional<PharosEvent> dns = conditions.failoverEvent(EventType.DNS_COMMITTED, r);
      if (mine.isEmpty() || dns.isEmpty()) {
        outcome("expected a failover of " + r + ", none was " + (mine.isEmpty() ? "decided" : "committed to DNS"),
            "Read the ALERT events (FailoverBlocked names the safety rule that held it back) and the votes in"
                + " /v1/status.");
      } else if (faultAt != null && dns.get().at() - faultAt > x.failoverWithin().toMillis()) {
        outcome("the failover of " + r + " was committed " + secs(dns.get().at() - faultAt) + " after the fault,"
            + " later than expected (" + secs(x.failoverWithin().toMillis()) + ")", REMEDIATION.get("dns-committed"));
      } else if (mine.size() > 1 && x.maxFailovers() == null) {
        outcome(r + " was failed over " + mine.size() + " times; expected once", REMEDIATION.get("flap"));
      }
    }
    if (x.noFailover() && !failovers.isEmpty()) {
      outcome("expected no failover, but " + failovers.stream().map(e -> e.region()).collect(Collectors.joining(", "))
          + " was failed over", REMEDIATION.get("unexpected"));
    }
    if (x.maxFailovers() != null && failovers.size() > x.maxFailovers()) {
      outcome(failovers.size() + " failovers, at most " + x.maxFailovers() + " expected", REMEDIATION.get("flap"));
    }
    for (String r : x.evacuated()) {
      boolean started = events.stream().anyMatch(e -> e.type() == EventType.ALERT && "EvacuationStarted"
          .equals(e.code()) && r.equals(e.region()));
      boolean out = events.stream().anyMatch(e -> e.type() == EventType.ALERT && "Evacuated".equals(e.code())
          && r.equals(e.region()));
      if (!out) {
        outcome("expected " + r + " to be evacuated, but " + (started ? "its evacuation never completed its last step"
            : "no evacuation of it started"), "Read the EvacuationPaused alerts (they name the region that held the"
                + " gate) and the evacuation block of /v1/status.");
      } else if (dnsCommitted(r, "EVACUATE").isEmpty()) {
        outcome(r + " was reported evacuated without a DNS change seen", REMEDIATION.get("once"));
      }
    }
    for (String code : x.alerts()) {
      boolean raised = events.stream().anyMatch(e -> e.type() == EventType.ALERT && code.equals(e.code()));
      if (!raised) {
        outcome("the alert " + code + " was not raised", "Check the analysis thresholds and alert routing for " + code
            + ".");
      }
    }
    Map<String, Long> dnsPerDecision = events.stream().filter(e -> e.type() == EventType.DNS_COMMITTED
        && e.decisionId() != null).collect(Collectors.groupingBy(PharosEvent::decisionId, Collectors.counting()));
    Map<String, Long> donePerDecision = events.stream().filter(e -> e.type() == EventType.COMPLETED
        && e.decisionId() != null).collect(Collectors.groupingBy(PharosEvent::decisionId, Collectors.counting()));
    dnsPerDecision.forEach((d, n) -> {
      if (n > 1) {
        outcome("decision " + d + " changed DNS " + n + " times (exactly once expected)", REMEDIATION.get("once"));
      }
    });
    donePerDecision.forEach((d, n) -> {
      if (n > 1) {
        outcome("decision " + d + " completed " + n + " times (exactly once expected)", REMEDIATION.get("once"));
      }
    });
    events.stream().filter(e -> e.type() == EventType.REJECTED && e.detail() != null
        && e.detail().contains("every weight to zero")).findFirst().ifPresent(e -> outcome(
            "an intent tried to set every weight to zero: " + e.detail(), REMEDIATION.get("once")));
  }

  private void outcome(String deviation, String fix) {
    outcomeOk = false;
    deviations.add(deviation);
    if (fix != null && !remediation.contains(fix)) {
      remediation.add(fix);
    }
  }

  private Measure rto(List<Mark> timeline) {
    Long target = s.targets().rto() == null ? null : s.targets().rto().toMillis();
    if (s.expect().failoverRegions().isEmpty()) {
      return new Measure("RTO", target, null, "not applicable: this drill expects no failover", null,
          "service was never moved");
    }
    Mark resolvers = timeline.stream().filter(m -> m.key().equals("resolvers-cut-over")).findFirst().orElse(null);
    Mark dns = timeline.stream().filter(m -> m.key().equals("dns-committed")).findFirst().orElse(null);
    Long actual = null;
    String basis;
    if (resolvers != null && resolvers.happened()) {
      actual = resolvers.sinceFaultMs();
      basis = "fault → a resolver saw " + DnsWatcher.CONSECUTIVE + " answers in a row without the lost region";
    } else if (dns != null && dns.happened()) {
      basis = "fault → DNS committed, plus the record TTL (resolvers not measured)";
      actual = dns.sinceFaultMs();
    } else {
      basis = "not measured: no DNS change was seen";
    }
    Boolean met = target == null || actual == null ? null : actual <= target;
    if (Boolean.FALSE.equals(met) || target != null && actual == null) {
      targetsMet = false;
      deviations.add("RTO " + (actual == null ? "not measured" : secs(actual)) + ", target ≤ " + secs(target));
      remediation.add(REMEDIATION.get("rto"));
    }
    return new Measure("RTO", target, actual, basis, met, null);
  }

  private Measure rpo(Long faultAt, List<Mark> timeline) {
    Long target = s.targets().rpo() == null ? null : s.targets().rpo().toMillis();
    if (s.lagSource() == null) {
      return new Measure("RPO", target, null, "not measured: the scenario names no rpo.lagSource", null,
          "configure rpo.lagSource (an HTTP endpoint answering the replication lag in seconds)");
    }
    long to = timeline.stream().filter(m -> m.key().equals("dns-committed") && m.happened()).map(Mark::at).findFirst()
        .orElse(System.currentTimeMillis());
    long from = faultAt == null ? started : faultAt - 5_000;
    Optional<Long> max = observer.lagSamples().stream().filter(x -> x[0] >= from && x[0] <= to).map(x -> x[1])
        .max(Long::compare);
    if (max.isEmpty()) {
      String why = observer.lagError() == null ? "no sample in the window" : observer.lagError();
      return new Measure("RPO", target, null, "not measured: " + why, null, "lag source " + s.lagSource());
    }
    Boolean met = target == null ? null : max.get() <= target;
    if (Boolean.FALSE.equals(met)) {
      targetsMet = false;
      deviations.add("RPO " + secs(max.get()) + " of replication lag, target ≤ " + secs(target));
      remediation.add(REMEDIATION.get("rpo"));
    }
    return new Measure("RPO", target, max.get(), "highest replication lag reported by " + s.lagSource()
        + " from 5 s before the fault to the DNS change", met, null);
  }

  private String actual(List<PharosEvent> events) {
    List<PharosEvent> failovers = conditions.failovers();
    if (failovers.isEmpty()) {
      String alerts = events.stream().filter(e -> e.type() == EventType.ALERT && e.code() != null
          && (e.detail() == null || !e.detail().startsWith("cleared"))).map(PharosEvent::code).distinct()
          .collect(Collectors.joining(", "));
      return "no failover" + evacuations(events) + (alerts.isEmpty() ? "" : "; alerts raised: " + alerts);
    }
    return failovers.size() + " failover" + (failovers.size() == 1 ? "" : "s") + " (" + failovers.stream()
        .map(PharosEvent::region).collect(Collectors.joining(", ")) + ")";
  }

  /** "; evacuated us-east in 3 steps, failed back" for each region evacuated during the run. */
  private String evacuations(List<PharosEvent> events) {
    StringBuilder sb = new StringBuilder();
    events.stream().filter(e -> e.type() == EventType.ALERT && "Evacuated".equals(e.code()) && e.region() != null)
        .map(PharosEvent::region).distinct().forEach(r -> {
          int steps = dnsCommitted(r, "EVACUATE").size();
          boolean back = events.stream().anyMatch(e -> e.type() == EventType.ALERT && "EvacuationEnded".equals(e.code())
              && r.equals(e.region()) && e.detail() != null && e.detail().contains("failback done"));
          sb.append("; evacuated ").append(r).append(" in ").append(steps).append(" step").append(steps == 1 ? "" : "s")
              .append(back ? ", failed back" : ", not failed back");
        });
    return sb.toString();
  }

  static String secs(long ms) {
    return String.format("%.3f s", ms / 1000.0);
  }

  static final Map<String, String> REMEDIATION = Map.of(
      "detected", "Detection was slower than its target: check probes.interval, probes.downAfter and"
          + " probes.confirmAfter; a hanging or blackholed endpoint is only seen at probes.timeout.",
      "dns-committed", "The DNS change came late: look for a leader change during the failover (LEADER events),"
          + " FailoverBlocked/FailoverHeld alerts, and the DNS provider's latency.",
      "resolvers-cut-over", "Resolvers saw the new answer late: check the record TTL and whether every name server"
          + " verified the change (VERIFIED event).",
      "rto", "RTO missed: shorten the slowest step of the timeline above (detection, commit, or DNS propagation).",
      "rpo", "Replication lag exceeded the RPO: fix replication before relying on failover, or raise the RPO with"
          + " the service owner.",
      "unexpected", "A failover happened that the scenario did not expect: read the DECIDED event's evidence and the"
          + " vantage votes; if a real incident overlapped the drill, void this result.",
      "flap", "The region was failed over more often than allowed: check policy.recoverAfter (stabilisation),"
          + " policy.cooldown and the probes' upAfter.",
      "provider", "The controllers' calls to the DNS provider broke the budget or applied a change more than once:"
          + " check dns.route53.requestsPerSecond against every client of the account, and the provider's action"
          + " log (actions.jsonl) for the decision's dns-apply attempts.",
      "once", "A safety invariant was broken (a change applied twice or every weight set to zero): treat it as a"
          + " bug in Pharos and file it with this report attached.");
}
