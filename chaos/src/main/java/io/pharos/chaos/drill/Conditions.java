package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.observe.AnswerSource;
import java.io.IOException;
import io.pharos.chaos.scenario.Scenario.Condition;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.Http;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Evaluates a scenario condition against what the observer has seen and what the system answers now. */
final class Conditions {
  static final Map<String, EventType> TIMELINE = Map.of("detected", EventType.DETECTED, "decided", EventType.DECIDED,
      "fenced", EventType.FENCED, "dns-committed", EventType.DNS_COMMITTED, "verified", EventType.VERIFIED,
      "completed", EventType.COMPLETED);

  private final DrillEnvironment env;
  private final Observer observer;

  /** Whether it holds, and what was seen (for the report). */
  record Result(boolean holds, String seen) {}

  Conditions(DrillEnvironment env, Observer observer) {
    this.env = env;
    this.observer = observer;
  }

  Result check(Condition c) {
    return switch (c.kind()) {
      case "resolvers-cut-over" -> {
        observer.watchResolvers(c.region());
        long at = observer.resolvers(c.region()).map(w -> w.settledAt()).orElse(0L);
        yield new Result(at > 0, at > 0 ? "20 answers in a row without " + c.region()
            : observer.resolvers(c.region()).isEmpty() ? "no name servers or addresses known to ask" : "not yet");
      }
      case "alert" -> {
        List<PharosEvent> raised = observer.events().stream().filter(x -> x.type() == EventType.ALERT
            && c.code().equals(x.code()) && (c.region() == null || c.region().equals(x.region()))
            && (x.detail() == null || !x.detail().startsWith("cleared"))).toList();
        if (c.atMost() != null) {
          yield new Result(raised.size() <= c.atMost(), c.code() + " raised " + raised.size() + " time"
              + (raised.size() == 1 ? "" : "s") + (raised.isEmpty() ? "" : ": " + raised.get(0).detail()));
        }
        yield new Result(!raised.isEmpty(), raised.isEmpty() ? "not raised" : raised.get(0).detail());
      }
      case "state" -> {
        String s = observer.leaderStatus().map(j -> j.path("regions").path(c.region()).path("state").asText())
            .orElse("unknown (no leader answering)");
        yield new Result(c.is().equals(s), c.region() + " is " + s);
      }
      case "served" -> served(c);
      case "mode" -> {
        String mode = env.agentUrl(c.region()).flatMap(u -> Http.get(u + "/v1/mode")).filter(r -> r.status() == 200)
            .map(r -> r.json().path("mode").asText()).orElse("unknown");
        yield new Result(c.is().equals(mode), "agent of " + c.region() + " says " + mode);
      }
      case "failovers" -> {
        if (c.code() == null) {
          long n = failovers().size();
          yield new Result(n <= c.atMost(), n + " failover" + (n == 1 ? "" : "s") + " so far");
        }
        // only those decided once the alert was raised: what was decided before it rests on what
        // could be seen then (e.g. regions failing a few hundred ms before the last one did)
        Optional<Long> raised = observer.events().stream()
            .filter(e -> e.type() == EventType.ALERT && c.code().equals(e.code())).map(PharosEvent::at).findFirst();
        if (raised.isEmpty()) {
          yield new Result(false, "alert " + c.code() + " not raised");
        }
        long n = failovers().stream().filter(e -> e.at() > raised.get()).count();
        long before = failovers().size() - n;
        yield new Result(n <= c.atMost(), n + " failover" + (n == 1 ? "" : "s") + " since " + c.code()
            + " was raised (" + before + " before it)");
      }
      case "weight" -> weight(c);
      case "evacuation" -> {
        String phase = observer.leaderStatus().map(j -> evacuationPhase(j, c.region()))
            .orElse("unknown (no leader answering)");
        yield new Result(c.is().equals(phase), "evacuation of " + c.region() + " is " + phase);
      }
      case "weights-restored" -> weightsRestored();
      case "others-untouched" -> othersUntouched(c.region());
      case "local-alert" -> localAlert(c);
      case "approval" -> {
        Optional<String> id = observer.leaderStatus().flatMap(j -> waitingDecision(j, c.region()));
        yield new Result(id.isPresent(), id.map(x -> "decision " + x + " waits for an operator")
            .orElse("nothing about " + c.region() + " waits for an operator"));
      }
      case "recovered" -> {
        Optional<String> why = SandboxReadiness.notRecovered(env);
        yield new Result(why.isEmpty(), why.orElse("recovered"));
      }
      default -> timeline(c);
    };
  }

  private Result timeline(Condition c) {
    Optional<PharosEvent> e = failoverEvent(TIMELINE.get(c.kind()), c.region());
    return new Result(e.isPresent(), e.map(x -> x.type() + " " + x.detail()).orElse("not yet"));
  }

  /** The first event of a failover (not a failback) decision of this type concerning the region. */
  Optional<PharosEvent> failoverEvent(EventType type, String region) {
    return observer.events().stream().filter(e -> e.type() == type)
        .filter(e -> region == null || e.region() != null && List.of(e.region().split(",")).contains(region))
        .filter(e -> observer.decisionKind(e.decisionId()).map("FAILOVER"::equals).orElse(false)).findFirst();
  }

  /** DECIDED events of failover decisions. */
  List<PharosEvent> failovers() {
    return observer.events().stream().filter(e -> e.type() == EventType.DECIDED)
        .filter(e -> "FAILOVER".equals(observer.decisionKind(e.decisionId()).orElse(""))).toList();
  }

  /**
   * The id of the decision that waits for an operator about {@code region}, as the leader's status
   * lists it ({@code approvals}).
   */
  static Optional<String> waitingDecision(JsonNode status, String region) {
    for (JsonNode a : status.path("approvals")) {
      if ("WAITING".equals(a.path("status").asText())) {
        for (JsonNode r : a.path("regions")) {
          if (region.equals(r.asText())) {
            return Optional.of(a.path("decisionId").asText());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** A controller's own alert (raised without a quorum): in its {@code /ready} details. */
  private Result localAlert(Condition c) {
    Optional<String> url = env.controllerUrl(c.region());
    if (url.isEmpty()) {
      return new Result(false, "no controller known in " + c.region());
    }
    Optional<Http.Response> r = Http.get(url.get() + "/ready");
    if (r.isEmpty()) {
      return new Result(false, "the controller of " + c.region() + " does not answer");
    }
    JsonNode ready;
    try {
      ready = r.get().json();
    } catch (IllegalStateException e) {
      return new Result(false, "the controller of " + c.region() + " answered " + r.get().status());
    }
    for (JsonNode a : ready.path("localAlerts")) {
      if (c.code().equals(a.path("code").asText())) {
        return new Result(true, "the controller of " + c.region() + " raised " + c.code() + ": "
            + a.path("message").asText());
      }
    }
    return new Result(false, "the controller of " + c.region() + " has not raised " + c.code());
  }

  private Result served(Condition c) {
    Set<String> addrs = env.addresses().get(c.region());
    List<AnswerSource> sources = c.at().isEmpty() ? env.answerSources() : c.at().stream()
        .map(r -> env.nameServer(r).map(ns -> AnswerSource.dns(ns, env.record(), "A")))
        .flatMap(Optional::stream).toList();
    if (!c.at().isEmpty() && sources.size() != c.at().size()) {
      return new Result(false, "no name server known for every region of " + c.at());
    }
    if (addrs == null || env.record() == null || sources.isEmpty()) {
      return new Result(false, "no name servers, record or addresses known for " + c.region());
    }
    boolean want = Boolean.parseBoolean(c.is());
    for (AnswerSource source : sources) {
      Set<String> a;
      try {
        a = source.ask();
      } catch (IOException e) {
        return new Result(false, source.label() + " does not answer (" + e.getMessage() + ")");
      }
      boolean served = a.stream().anyMatch(addrs::contains);
      if (served != want) {
        return new Result(false, source.label() + " answers " + a);
      }
    }
    return new Result(true, (sources.size() == 1 ? sources.get(0).label() : c.at().isEmpty() ? "every name server"
        : "the name servers of " + c.at()) + " " + (want ? "answer " : "leave out ") + addrs);
  }

  /** running, paused, aborting, evacuated or none, as the leader's status says. */
  static String evacuationPhase(JsonNode status, String region) {
    JsonNode ev = status.path("evacuation");
    if (ev.isNull() || ev.isMissingNode() || !region.equals(ev.path("region").asText())) {
      return "none";
    }
    String phase = ev.path("phase").asText().toLowerCase();
    return phase.equals("running") && !ev.path("paused").isNull() && !ev.path("paused").isMissingNode() ? "paused"
        : phase;
  }

  /**
   * The region's weight as DNS serves it (the committed zone), in every record that configures it:
   * {@code is: 0} a weight, {@code is: 75%} that share of its configured weight, rounded as the
   * controller rounds it.
   */
  private Result weight(Condition c) {
    Optional<JsonNode> leader = observer.leaderStatus();
    if (leader.isEmpty()) {
      return new Result(false, "no leader answering");
    }
    JsonNode zone = leader.get().path("zone").path("weights");
    JsonNode configured = leader.get().path("configuredWeights");
    boolean percent = c.is().endsWith("%");
    int value = Integer.parseInt(percent ? c.is().substring(0, c.is().length() - 1) : c.is());
    List<String> seen = new java.util.ArrayList<>();
    boolean holds = true;
    boolean any = false;
    for (var it = configured.fields(); it.hasNext(); ) {
      var rec = it.next();
      int base = rec.getValue().path(c.region()).asInt(0);
      if (base <= 0) {
        continue;
      }
      any = true;
      int want = percent ? WeightPlan.scaled(base, value) : value;
      int got = zone.path(rec.getKey()).path(c.region()).asInt(-1);
      seen.add(rec.getKey() + " " + got + " of " + base);
      holds &= got == want;
    }
    if (!any) {
      return new Result(false, c.region() + " has no configured weight in the leader's status");
    }
    return new Result(holds, c.region() + " served at " + String.join(", ", seen));
  }

  /** Every record served with its configured weights, and no evacuation left. */
  private Result weightsRestored() {
    Optional<JsonNode> leader = observer.leaderStatus();
    if (leader.isEmpty()) {
      return new Result(false, "no leader answering");
    }
    JsonNode zone = leader.get().path("zone").path("weights");
    JsonNode configured = leader.get().path("configuredWeights");
    if (configured.isMissingNode() || configured.isEmpty()) {
      return new Result(false, "the leader's status has no configuredWeights");
    }
    if (!zone.equals(configured)) {
      return new Result(false, "served " + zone + ", configured " + configured);
    }
    JsonNode ev = leader.get().path("evacuation");
    if (!ev.isNull() && !ev.isMissingNode()) {
      return new Result(false, "weights as configured, but evacuation " + ev.path("id").asText() + " is "
          + ev.path("phase").asText());
    }
    return new Result(true, "served weights equal the configured ones " + configured);
  }

  /** Every region but {@code region} in traffic, read-write and served at least at its configured weight. */
  private Result othersUntouched(String region) {
    Optional<JsonNode> leader = observer.leaderStatus();
    if (leader.isEmpty()) {
      return new Result(false, "no leader answering");
    }
    JsonNode zone = leader.get().path("zone").path("weights");
    JsonNode configured = leader.get().path("configuredWeights");
    List<String> changed = new java.util.ArrayList<>();
    for (var it = leader.get().path("regions").fields(); it.hasNext(); ) {
      var r = it.next();
      if (r.getKey().equals(region)) {
        continue;
      }
      if (r.getValue().path("out").asBoolean()) {
        changed.add(r.getKey() + " is out of traffic");
      }
      if (!"read-write".equals(r.getValue().path("mode").asText())) {
        changed.add(r.getKey() + " is " + r.getValue().path("mode").asText());
      }
      for (var rec = configured.fields(); rec.hasNext(); ) {
        var e = rec.next();
        int base = e.getValue().path(r.getKey()).asInt(0);
        int got = zone.path(e.getKey()).path(r.getKey()).asInt(-1);
        if (got < base) {
          changed.add(r.getKey() + " served at " + got + " < configured " + base + " in " + e.getKey());
        }
      }
    }
    return new Result(changed.isEmpty(), changed.isEmpty() ? "every region but " + region
        + " in traffic, read-write, at or above its configured weight" : String.join("; ", changed));
  }

  /** The leader's status now, for notes. */
  Optional<JsonNode> leader() {
    return observer.leaderStatus();
  }
}
