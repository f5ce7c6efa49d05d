package io.pharos.chaos.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.pharos.chaos.observe.AnswerSource;
import java.io.IOException;
import io.pharos.chaos.scenario.Scenario.Condition;
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
        Optional<PharosEvent> e = observer.events().stream().filter(x -> x.type() == EventType.ALERT
            && c.code().equals(x.code()) && (c.region() == null || c.region().equals(x.region()))
            && (x.detail() == null || !x.detail().startsWith("cleared"))).findFirst();
        yield new Result(e.isPresent(), e.map(PharosEvent::detail).orElse("not raised"));
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
        long n = failovers().size();
        yield new Result(n <= c.atMost(), n + " failover" + (n == 1 ? "" : "s") + " so far");
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

  private Result served(Condition c) {
    Set<String> addrs = env.addresses().get(c.region());
    List<AnswerSource> sources = env.answerSources();
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
    return new Result(true, (sources.size() == 1 ? sources.get(0).label() : "every name server") + " "
        + (want ? "answers " : "leaves out ") + addrs);
  }

  /** The leader's status now, for notes. */
  Optional<JsonNode> leader() {
    return observer.leaderStatus();
  }
}
