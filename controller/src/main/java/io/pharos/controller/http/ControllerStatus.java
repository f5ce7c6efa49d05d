package io.pharos.controller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.alert.LocalAlerts;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Step;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.journal.Journal;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.wire.RejectReason;
import io.pharos.dns.DnsProvider;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A running controller's picture as the HTTP API serves it: {@code /v1/status}, {@code
 * /v1/controllers}, {@code /ready} and the timeline. Reads only what is in memory; nothing here
 * does I/O.
 */
public final class ControllerStatus implements ControllerView {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What the status reads.
   *
   * @param followers follower id to milliseconds since its last answer, when this controller leads
   * @param latestStep the decision loop's last step, or null before the first
   * @param readiness what {@code /ready} checks, by name; ready when every one holds
   * @param details what {@code /ready} reports beside the checks, by name (e.g. the Raft transport)
   * @param localAlerts this controller's own control-plane alerts (in status and {@code /ready}'s details)
   */
  public record Sources(PharosConfig config, ControllerPeer self, Clock clock, long startedAt, Journal journal,
      Supplier<Map<String, Long>> followers, ControllerMetrics metrics, Supplier<Step> latestStep,
      DnsProvider provider, Map<String, BooleanSupplier> readiness, Map<String, Supplier<String>> details,
      LocalAlerts localAlerts) {}

  private final Sources s;
  /** Failover readiness ({@code "readiness"} in status; a line in {@code /ready}'s details), if watched. */
  private volatile Supplier<ObjectNode> failoverReadiness = () -> null;

  public ControllerStatus(Sources sources) {
    this.s = sources;
  }

  /** Shows failover readiness as {@code "readiness"} in {@code /v1/status} and {@code /ready}. */
  public ControllerStatus withFailoverReadiness(Supplier<ObjectNode> readiness) {
    this.failoverReadiness = readiness;
    return this;
  }

  @Override
  public ObjectNode status() {
    Map<String, Double> rejected = new LinkedHashMap<>();
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r.label(), s.metrics().rejectedCount(r));
    }
    long grace = s.startedAt() + s.config().policy().startupGrace().toMillis() - s.clock().millis();
    ObjectNode status = StatusJson.render(s.self().id(), seat(), s.latestStep().get(), s.journal().state(), grace,
        rejected);
    // health() does no I/O; counters: requests (per operation), retries, throttled, breaker, budget
    var h = s.provider().health();
    ObjectNode p = status.putObject("dnsProvider");
    p.put("name", s.provider().name()).put("state", h.state().name()).put("breaker", h.breaker())
        .put("detail", h.detail());
    ObjectNode c = p.putObject("counters");
    h.counters().forEach(c::put);
    status.set("configuredWeights", MAPPER.valueToTree(WeightPlan.base(s.config().dns())));
    // this controller's own alerts are findings too, raised without a quorum
    ArrayNode analyses = (ArrayNode) status.get("analyses");
    for (LocalAlerts.Alert a : s.localAlerts().active()) {
      analyses.addObject().put("code", a.code()).put("severity", a.severity())
          .put("region", "*".equals(a.subject()) ? null : a.subject()).put("message", a.message());
    }
    status.set("localAlerts", localAlerts());
    status.set("readiness", failoverReadiness.get());
    return status;
  }

  private ArrayNode localAlerts() {
    ArrayNode out = MAPPER.createArrayNode();
    for (LocalAlerts.Alert a : s.localAlerts().active()) {
      out.addObject().put("code", a.code()).put("severity", a.severity()).put("subject", a.subject())
          .put("message", a.message()).put("since", a.since());
    }
    return out;
  }

  /** This controller's seat in the Raft group: role, leader, term, acting, last applied. */
  private ObjectNode seat() {
    Journal j = s.journal();
    ObjectNode q = MAPPER.createObjectNode();
    q.put("role", j.role().name());
    q.put("leader", j.leaderId().orElse(null));
    q.put("term", j.term());
    q.put("acting", j.isActingLeader());
    q.put("lastApplied", j.lastAppliedIndex());
    return q;
  }

  @Override
  public ObjectNode controllers() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("controller", s.self().id());
    n.setAll(seat());
    ObjectNode followers = n.putObject("followers");
    s.followers().get().forEach((id, ms) -> followers.putObject(id).put("lastContactMs", ms));
    var peers = n.putArray("peers");
    for (ControllerPeer p : s.config().controllers().peers()) {
      peers.addObject().put("id", p.id()).put("region", p.region()).put("raft", p.raft().toString())
          .put("api", p.api().toString());
    }
    return n;
  }

  @Override
  public List<PharosEvent> events(long sinceMillis) {
    return s.journal().state().timeline().stream().filter(e -> e.at() >= sinceMillis).toList();
  }

  @Override
  public boolean ready() {
    return !readinessChecks().containsValue(false);
  }

  @Override
  public ObjectNode readiness() {
    Map<String, Boolean> checks = readinessChecks();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("ready", !checks.containsValue(false));
    ObjectNode c = n.putObject("checks");
    checks.forEach(c::put);
    if (!s.details().isEmpty()) {
      ObjectNode d = n.putObject("details");
      s.details().forEach((name, value) -> d.put(name, value.get()));
    }
    n.set("localAlerts", localAlerts());
    // failover readiness is reported, not a check: a controller serves whether or not a failover would work
    n.set("failoverReadiness", failoverReadiness.get());
    n.put("version", ControllerStatus.class.getPackage().getImplementationVersion());
    n.put("uptimeMs", s.clock().millis() - s.startedAt());
    return n;
  }

  private Map<String, Boolean> readinessChecks() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    s.readiness().forEach((name, check) -> checks.put(name, check.getAsBoolean()));
    return checks;
  }

  @Override
  public String metrics() {
    return s.metrics().scrape();
  }
}
