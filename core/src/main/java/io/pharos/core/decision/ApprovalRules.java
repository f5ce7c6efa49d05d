package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.PolicyConfig;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionHealth;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.Approval;
import io.pharos.core.journal.ControlState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a failover waits for an operator instead of being executed (R6 approve mode; evidence one
 * vantage short, {@code policy.shortEvidence: approve}), when a waiting one is withdrawn, and how an
 * approved one is carried out. Part of the pure decision step: same inputs, same answers on every
 * controller; the waiting decisions themselves live in the journal ({@link Approval}).
 */
final class ApprovalRules {
  private final PharosConfig config;
  private final long startedAt;
  private final long settleMs;
  /** Region to the step since which its evidence has been short without a break. */
  private final Map<String, Long> shortSince = new HashMap<>();

  ApprovalRules(PharosConfig config, long startedAt, long settleMs) {
    this.config = config;
    this.startedAt = startedAt;
    this.settleMs = settleMs;
  }

  /** Tracks which regions have had short evidence for how long; called on every step. */
  void observe(Map<String, QuorumVerdict> verdicts, long now) {
    verdicts.forEach((r, v) -> {
      if (v.shortEvidence()) {
        shortSince.putIfAbsent(r, now);
      } else {
        shortSince.remove(r);
      }
    });
  }

  /**
   * The analyses about decisions that wait: evidence and the commands that answer them, and, past
   * {@code policy.approvalEscalateAfter}, the escalation (a second page; the decision still waits).
   */
  void analyse(ControlState control, long now, List<Analysis> out) {
    long escalateAfter = config.policy().approvalEscalateAfter().toMillis();
    for (Approval a : control.approvals().values()) {
      if (a.status() == Approval.Status.WAITING) {
        String region = String.join(",", a.regions());
        String answer = "Approve with `pharos approve " + a.decisionId() + " --reason ...`, or `pharos reject "
            + a.decisionId() + " --reason ...`";
        out.add(new Analysis(AnalysisCode.FAILOVER_AWAITING_APPROVAL, region, a.kind() + " of " + a.regions()
            + " waits for an operator (" + a.why() + "): " + a.reason() + ". " + answer));
        long waited = now - a.requestedAt();
        if (waited >= escalateAfter) {
          out.add(new Analysis(AnalysisCode.APPROVAL_OVERDUE, region, a.kind() + " of " + a.regions() + " has waited "
              + waited / 1000 + " s for an operator (policy.approvalEscalateAfter "
              + io.pharos.core.config.Durations.format(config.policy().approvalEscalateAfter())
              + "); nothing moves until someone answers. " + answer));
        }
      }
    }
  }

  /** An open decision whose reason to act went away, to be withdrawn. */
  Optional<ApprovalAction.Withdraw> withdrawal(ControlState control, Map<String, RegionHealth> health,
      Map<String, QuorumVerdict> verdicts) {
    for (Approval a : control.approvals().values()) {
      if (!a.status().open()) {
        continue;
      }
      List<String> healthy = a.regions().stream().filter(r -> healthy(r, health, verdicts)).toList();
      if (a.status() == Approval.Status.WAITING ? healthy.size() == a.regions().size() : !healthy.isEmpty()) {
        return Optional.of(new ApprovalAction.Withdraw(a.decisionId(), healthy + " healthy again from every vantage"
            + " that votes, before the decision was executed"));
      }
      if (a.regions().stream().allMatch(control.out()::contains)) {
        return Optional.of(new ApprovalAction.Withdraw(a.decisionId(), a.regions() + " already out of traffic"));
      }
      if (a.status() == Approval.Status.APPROVED && plan(a, control).isEmpty()) {
        return Optional.of(new ApprovalAction.Withdraw(a.decisionId(), "taking " + a.regions() + " out would leave a"
            + " record with no serving region"));
      }
    }
    return Optional.empty();
  }

  private Optional<Map<String, Map<String, Integer>>> plan(Approval a, ControlState control) {
    Set<String> nextOut = new TreeSet<>(control.out());
    nextOut.addAll(a.regions());
    return WeightPlan.plan(config.dns(), nextOut, DecisionEngine.scale(control));
  }

  /**
   * The approved decision to carry out now, as an operator's decision under its own id (one that can
   * no longer be carried out is withdrawn first: {@link #withdrawal}).
   */
  Optional<Decision> approved(ControlState control, Map<String, RegionHealth> health) {
    for (Approval a : control.approvals().values()) {
      if (a.status() != Approval.Status.APPROVED) {
        continue;
      }
      Set<String> regions = new TreeSet<>(a.regions());
      regions.removeAll(control.out());
      Set<String> nextOut = new TreeSet<>(control.out());
      nextOut.addAll(regions);
      var weights = plan(a, control);
      if (weights.isEmpty()) {
        continue;
      }
      long detectedAt = a.detectedAt() > 0 ? a.detectedAt()
          : regions.stream().mapToLong(r -> health.get(r).since()).min().orElse(0);
      return Optional.of(new Decision(a.decisionId(), a.kind(), List.copyOf(regions), nextOut,
          DecisionEngine.readOnlyAfter(control, regions, Set.of()), weights.get(), AnalysisCode.REGION_DOWN,
          "approved by " + a.by() + " (" + a.answer() + "); evidence: " + a.reason(), false, detectedAt,
          a.firstFailureAt()));
    }
    return Optional.empty();
  }

  /**
   * Of {@code regions}, those an operator may be asked about now: not already in an open decision,
   * and not rejected without their state changing since.
   */
  Set<String> askable(Set<String> regions, ControlState control, Map<String, RegionHealth> health) {
    Set<String> out = new TreeSet<>(regions);
    for (Approval a : control.approvals().values()) {
      if (a.status().open()) {
        out.removeAll(a.regions());
      } else if (a.status() == Approval.Status.REJECTED) {
        // the same question is not asked again until the region's state changes
        out.removeIf(r -> a.regions().contains(r) && health.get(r).since() <= a.answeredAt());
      }
    }
    return out;
  }

  /**
   * A failover that must wait for an operator, as a request; or an analysis saying why it cannot
   * even be put to one (observe mode, paused, startup grace).
   */
  Optional<ApprovalAction.Request> request(Decision d, String why, ControlState control, long now,
      List<Analysis> analyses) {
    Optional<String> block = SafetyRules.blockApprovalRequest(config, control, now, startedAt);
    if (block.isPresent()) {
      analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, String.join(",", d.regions()), block.get()));
      return Optional.empty();
    }
    return Optional.of(new ApprovalAction.Request(d, why));
  }

  /** Regions whose evidence has been short (one vantage) for a whole detection window, still in traffic. */
  Set<String> shortOfOneVantage(ControlState control, Map<String, RegionState> states, long now) {
    Set<String> out = new TreeSet<>();
    shortSince.forEach((r, since) -> {
      if (now - since >= settleMs && !control.out().contains(r) && states.get(r) != RegionState.DOWN) {
        out.add(r);
      }
    });
    return out;
  }

  boolean shortEvidenceWaits() {
    return config.policy().shortEvidence() == PolicyConfig.ShortEvidence.APPROVE;
  }

  private static boolean healthy(String r, Map<String, RegionHealth> health, Map<String, QuorumVerdict> verdicts) {
    QuorumVerdict v = verdicts.get(r);
    return health.get(r).state() == RegionState.HEALTHY && v.failingVoters().isEmpty() && !v.shortEvidence();
  }
}
