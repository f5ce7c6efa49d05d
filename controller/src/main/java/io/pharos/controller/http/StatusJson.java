package io.pharos.controller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.Step;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.decision.EvacuationStatus;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.EvacuationPhase;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.journal.RegionMode;
import java.util.List;
import java.util.Map;

/** Renders the controller's picture as the {@code /v1/status} document. */
public final class StatusJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusJson() {}

  /**
   * @param seat role, leader, term and acting flag, already rendered
   */
  public static ObjectNode render(String controllerId, ObjectNode seat, Step step, ControlState state,
      long graceRemainingMs, Map<String, Double> rejected) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("controller", controllerId);
    root.setAll(seat);
    root.put("graceRemainingMs", Math.max(0, graceRemainingMs));
    ObjectNode regions = root.putObject("regions");
    for (Map.Entry<String, RegionMode> e : state.modes().entrySet()) {
      String r = e.getKey();
      ObjectNode n = regions.putObject(r);
      n.put("state", step == null ? "UNKNOWN" : step.health().get(r).name());
      n.put("out", state.out().contains(r));
      n.put("mode", e.getValue().mode().label());
      n.put("modeToken", e.getValue().token().toString());
      n.put("lastChangeAt", state.lastChange().getOrDefault(r, 0L));
      if (step != null) {
        QuorumVerdict v = step.verdicts().get(r);
        ObjectNode votes = n.putObject("votes");
        strings(votes.putArray("failing"), v.failingVoters());
        strings(votes.putArray("serving"), v.servingVoters());
        strings(votes.putArray("silent"), v.silentVoters());
        strings(votes.putArray("isolated"), v.isolatedVoters());
        votes.put("needed", v.needed());
        n.put("ownAgentsSilent", v.ownSilent());
      }
    }
    root.set("weights", MAPPER.valueToTree(state.weights()));
    ObjectNode zone = root.putObject("zone");
    zone.set("weights", MAPPER.valueToTree(state.zone().weights()));
    zone.put("token", state.zone().token().toString());
    zone.put("serial", state.zone().serial());
    IntentRecord pending = state.pending();
    if (pending != null) {
      ObjectNode p = root.putObject("pending");
      p.put("decisionId", pending.intent().decisionId());
      p.put("phase", pending.phase().name());
      p.put("token", pending.token().toString());
    } else {
      root.putNull("pending");
    }
    root.set("evacuation", evacuation(state, step));
    var approvals = root.putArray("approvals");
    for (io.pharos.core.journal.Approval a : state.approvals().values()) {
      if (a.status().open()) {
        ObjectNode n = approvals.addObject().put("decisionId", a.decisionId()).put("status", a.status().name())
            .put("kind", a.kind().name()).put("why", a.why()).put("evidence", a.reason())
            .put("requestedAt", a.requestedAt());
        strings(n.putArray("regions"), a.regions());
        if (a.by() != null) {
          n.put("by", a.by()).put("answer", a.answer());
        }
      }
    }
    ArrayNode analyses = root.putArray("analyses");
    if (step != null) {
      for (Analysis a : step.analyses()) {
        analyses.addObject().put("code", a.code().label()).put("severity", a.code().severity().name())
            .put("region", a.region()).put("message", a.message());
      }
    }
    ObjectNode rej = root.putObject("rejectedReports");
    rejected.forEach(rej::put);
    if (step != null && step.view() != null) {
      root.set("agents", agents(step.view()));
    }
    return root;
  }

  /** Agents heard per region (live within silenceAfter, known within agentExpiry) and the ones dropped. */
  static ObjectNode agents(io.pharos.core.health.ClusterView view) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode regions = n.putObject("regions");
    view.knownAgents().forEach((r, known) -> regions.putObject(r).put("live", view.liveAgents().getOrDefault(r, 0))
        .put("known", known));
    n.put("droppedTotal", view.droppedAgentsTotal());
    ArrayNode dropped = n.putArray("dropped");
    for (var d : view.droppedAgents()) {
      dropped.addObject().put("id", d.id()).put("region", d.region()).put("lastHeardAt", d.lastHeardAt())
          .put("droppedAt", d.droppedAt());
    }
    return n;
  }

  /** The evacuation in progress (or done, until failed back), or null. */
  static com.fasterxml.jackson.databind.JsonNode evacuation(ControlState state, Step step) {
    Evacuation ev = state.evacuation();
    if (ev == null) {
      return com.fasterxml.jackson.databind.node.NullNode.getInstance();
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", ev.id());
    n.put("region", ev.region());
    n.put("phase", ev.phase().name());
    strings(n.putArray("steps"), ev.steps().stream().map(String::valueOf).toList());
    n.put("holdMs", ev.holdMs());
    n.put("by", ev.by());
    n.put("reason", ev.reason());
    n.put("startedAt", ev.startedAt());
    n.put("stepsDone", ev.stepsDone());
    n.put("percent", ev.percentNow());
    if (ev.nextPercent() >= 0 && ev.phase() == EvacuationPhase.RUNNING) {
      n.put("nextPercent", ev.nextPercent());
    } else {
      n.putNull("nextPercent");
    }
    EvacuationStatus s = step == null ? null : step.evacuation();
    boolean current = s != null && s.id().equals(ev.id());
    if (current && s.nextStepAt() > 0 && !s.paused() && !s.stepInProgress()) {
      n.put("nextStepAt", s.nextStepAt());
    } else {
      n.putNull("nextStepAt");
    }
    n.put("stepInProgress", current && s.stepInProgress());
    if (current && s.paused()) {
      n.put("paused", String.join("; ", s.waitingFor()));
    } else {
      n.putNull("paused");
    }
    if (ev.abortReason() != null) {
      n.put("abortReason", ev.abortReason());
    }
    return n;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
