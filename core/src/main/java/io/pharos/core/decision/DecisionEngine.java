package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.PolicyConfig;
import io.pharos.core.health.ClusterView;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionHealth;
import io.pharos.core.health.RegionState;
import io.pharos.core.health.RegionTransition;
import io.pharos.core.health.VantageQuorum;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.EvacuationPhase;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.model.Mode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Observations in, named decisions out: {@code (ClusterView, ControlState, now) → Step}. No I/O,
 * no clock reads, no randomness; the only state it keeps is the per-region health state machines,
 * which every controller runs on the same inputs.
 *
 * <p>A failover is held briefly (at most one probe interval plus its confirmations) while other
 * serving regions show failing probes as well: when everything is failing at once, the regions
 * cross their thresholds at slightly different instants, and acting on the first would move
 * traffic during what is really an all-regions event (which must be fail-static).
 */
public final class DecisionEngine {
  private final PharosConfig config;
  private final long startedAt;
  private final Map<String, RegionHealth> health = new LinkedHashMap<>();
  /** A failed-over region down this long is paged (DESIGN.md "Alerts": critical past 30 s). */
  static final long REGION_STILL_DOWN_MS = 30_000;
  private final long holdMaxMs;
  private static final Set<AnalysisCode> SETTLING = java.util.EnumSet.of(AnalysisCode.OBSERVER_ISOLATED,
      AnalysisCode.VANTAGE_QUORUM_LOST, AnalysisCode.MONITORING_PARTITION);
  /** Analysis key to the step since which it has been present without a break. */
  private final Map<String, Long> settlingSince = new java.util.HashMap<>();

  private final ApprovalRules approvals;
  private final EvacuationGate evacuationGate;
  private final DegradedRule degraded;
  /** What this step records about decisions that wait for an operator (set by {@link #decide}). */
  private ApprovalAction approval;
  /** The survivors' headroom in the current step's picture (DESIGN.md "Capacity"). */
  private Map<String, io.pharos.core.health.CapacityReading> capacity = Map.of();

  public DecisionEngine(PharosConfig config, long startedAt) {
    this.config = config;
    this.startedAt = startedAt;
    // long enough for every endpoint to be probed once more and confirmed, each probe up to half a tick late
    this.holdMaxMs = config.probes().interval().toMillis()
        + config.probes().confirmAfter().toMillis() * config.probes().downAfter()
        + config.probes().tick().toMillis() / 2 * (config.probes().downAfter() + 1);
    this.approvals = new ApprovalRules(config, startedAt, holdMaxMs);
    this.evacuationGate = new EvacuationGate(config);
    this.degraded = new DegradedRule(config);
    for (String r : config.regionNames()) {
      health.put(r, new RegionHealth(r, config.policy().recoverAfter().toMillis(), startedAt));
    }
  }

  public Step step(ClusterView view, ControlState control, long now) {
    capacity = view.capacity();
    Map<String, QuorumVerdict> verdicts = VantageQuorum.evaluate(view, control.out());
    List<Step.Transition> transitions = new ArrayList<>();
    Map<String, RegionState> states = new LinkedHashMap<>();
    for (RegionHealth h : health.values()) {
      for (RegionTransition t : h.update(verdicts.get(h.region()), now)) {
        transitions.add(new Step.Transition(h.region(), t, now));
      }
      states.put(h.region(), h.state());
    }
    approvals.observe(verdicts, now);
    List<Analysis> analyses = settle(analyse(view, verdicts, states, control, now), now);
    approvals.analyse(control, now, analyses);
    EvacuationStatus evacuation = evacuationGate.look(verdicts, states, control, now, analyses);
    approval = null;
    Decision decision = control.pending() == null ? decide(view, verdicts, states, control, now, analyses, evacuation)
        : null;
    return new Step(now, verdicts, states, transitions, analyses, decision, evacuation, approval, view);
  }

  /**
   * Findings about the monitoring itself (an observer cut off, too few vantages to vote, a silent
   * region) are reported only once they have held for as long as a failure takes to show from every
   * vantage: while a wider failure unfolds, vantages cross their thresholds at slightly different
   * instants, and every region going down at once looks for a second like observers being cut off.
   */
  private List<Analysis> settle(List<Analysis> analyses, long now) {
    Set<String> present = new java.util.HashSet<>();
    List<Analysis> out = new ArrayList<>(analyses.size());
    for (Analysis a : analyses) {
      if (!SETTLING.contains(a.code())) {
        out.add(a);
        continue;
      }
      present.add(a.key());
      if (now - settlingSince.computeIfAbsent(a.key(), k -> now) >= holdMaxMs) {
        out.add(a);
      }
    }
    settlingSince.keySet().retainAll(present);
    return out;
  }

  /**
   * Healthy, seen serving by a majority for a clean stabilisation window right up to now, and not
   * within the startup grace (a controller that just started has not watched long enough).
   */
  private boolean recovered(String region, long now) {
    return health.get(region).stableFor(now) >= config.policy().recoverAfter().toMillis()
        && now >= startedAt + config.policy().startupGrace().toMillis();
  }

  private List<Analysis> analyse(ClusterView view, Map<String, QuorumVerdict> verdicts, Map<String, RegionState> states,
      ControlState control, long now) {
    List<Analysis> out = new ArrayList<>();
    // every region failing from every vantage that can see it explains every observer looking cut
    // off and every vote missing: the page says so, not "debug the monitoring"
    boolean allFailing = VantageQuorum.allRegionsFailing(view);
    if (!allFailing) {
      for (String v : VantageQuorum.isolatedVantages(view, control.out())) {
        out.add(new Analysis(AnalysisCode.OBSERVER_ISOLATED, v, "agents in " + v
            + " see every other region failing while those cannot reach " + v + " either; their votes are dropped"));
      }
    }
    for (var e : verdicts.entrySet()) {
      String r = e.getKey();
      QuorumVerdict v = e.getValue();
      RegionState s = states.get(r);
      if (evacuated(control, r)) {
        Evacuation ev = control.evacuation();
        out.add(recovered(r, now)
            ? new Analysis(AnalysisCode.REGION_RECOVERED, r, "evacuated (" + ev.id() + " by " + ev.by()
                + ") and healthy for the stabilisation window; fail back with `pharos failback " + r + "`")
            : new Analysis(AnalysisCode.EVACUATED, r, "evacuated (" + ev.id() + " by " + ev.by() + "); region is " + s
                + ", failback waits for the stabilisation window"));
      } else if (control.out().contains(r)) {
        out.add(recovered(r, now)
            ? new Analysis(AnalysisCode.REGION_RECOVERED, r, "healthy again for the stabilisation window; "
                + "fail back with `pharos failback " + r + "`")
            : new Analysis(AnalysisCode.FAILED_OVER, r, "traffic moved away; region is " + s));
        long downFor = s == RegionState.DOWN ? now - health.get(r).since() : 0;
        if (downFor >= REGION_STILL_DOWN_MS) {
          out.add(new Analysis(AnalysisCode.REGION_STILL_DOWN, r, "failed over, and down for " + downFor / 1000
              + " s: " + evidence(v)));
        }
      } else if (s == RegionState.DOWN) {
        out.add(new Analysis(AnalysisCode.REGION_DOWN, r, evidence(v)));
      } else if (s == RegionState.SUSPECT) {
        out.add(new Analysis(AnalysisCode.REGION_SUSPECT, r, evidence(v)));
      } else if (s == RegionState.RECOVERING) {
        out.add(new Analysis(AnalysisCode.REGION_RECOVERING, r, evidence(v)));
      }
      if (v.ownSilent() && v.quorumServing() && s != RegionState.DOWN) {
        out.add(new Analysis(AnalysisCode.MONITORING_PARTITION, r, "agents of " + r
            + " are silent while " + v.servingVoters() + " see it serving: no failover"));
      }
      if (!allFailing && !v.quorumPossible() && !v.quorumFailing()) {
        out.add(new Analysis(AnalysisCode.VANTAGE_QUORUM_LOST, r, "only " + (v.voters() - v.silentVoters().size() - v.isolatedVoters().size()) + " of "
            + v.voters() + " other regions can vote on " + r + " (silent " + v.silentVoters() + ", cut off "
            + v.isolatedVoters() + ")" + (v.ownSilent() ? " and its own agents are silent" : " plus its own agents")
            + "; " + v.needed() + " needed: no decision possible"));
      }
      degraded.look(view, r, v, s == RegionState.HEALTHY && !control.out().contains(r)).ifPresent(out::add);
    }
    if (allFailing || states.values().stream().allMatch(s -> s == RegionState.DOWN)) {
      out.add(new Analysis(AnalysisCode.ALL_REGIONS_DOWN, null, "every region is failing from every vantage that"
          + " can see it (its own agents too): changing nothing (fail-static); a person must look"));
    }
    return out;
  }

  private Decision decide(ClusterView view, Map<String, QuorumVerdict> verdicts, Map<String, RegionState> states,
      ControlState control, long now, List<Analysis> analyses, EvacuationStatus evacuation) {
    Optional<ApprovalAction.Withdraw> withdraw = approvals.withdrawal(control, health, verdicts);
    if (withdraw.isPresent()) {
      approval = withdraw.get();
      return null;
    }
    if (states.values().stream().allMatch(s -> s == RegionState.DOWN) || VantageQuorum.allRegionsFailing(view)) {
      return null;
    }
    Optional<Decision> approved = approvals.approved(control, health);
    if (approved.isPresent()) {
      return approved.get();
    }
    Set<String> newlyDown = new TreeSet<>();
    states.forEach((r, s) -> {
      // the state machine remembers DOWN; acting also needs the majority to hold right now
      if (s == RegionState.DOWN && verdicts.get(r).quorumFailing() && !control.out().contains(r)) {
        newlyDown.add(r);
      }
    });
    if (!newlyDown.isEmpty()) {
      return failover(newlyDown, verdicts, control, now, analyses);
    }
    Set<String> shortOfOne = approvals.shortOfOneVantage(control, states, now);
    if (!shortOfOne.isEmpty()) {
      shortEvidence(shortOfOne, verdicts, control, now, analyses);
      return null;
    }
    Evacuation ev = control.evacuation();
    if (ev != null && ev.phase() == EvacuationPhase.ABORTING) {
      return blockedIfEmpty(Evacuations.restore(config, control, ev), ev, analyses);
    }
    if (ev != null && ev.phase() == EvacuationPhase.RUNNING && !evacuation.paused() && now >= evacuation.nextStepAt()) {
      return blockedIfEmpty(Evacuations.step(config, control, ev), ev, analyses);
    }
    Set<String> recovered = new TreeSet<>();
    for (String r : control.out()) {
      // an evacuated region comes back only when an operator fails it back
      if (recovered(r, now) && !evacuated(control, r)) {
        recovered.add(r);
      }
    }
    if (recovered.isEmpty() || SafetyRules.blockAutomaticFailback(config, control, recovered, now).isPresent()) {
      return null;
    }
    Set<String> nextOut = new TreeSet<>(control.out());
    nextOut.removeAll(recovered);
    Map<String, Map<String, Integer>> weights = WeightPlan.plan(config.dns(), nextOut, scale(control)).orElseThrow();
    // R7: a write primary lost to a failover comes back read-only, until an operator promotes it
    Set<String> readOnly = readOnlyAfter(control, Set.of(), WritePrimary.restorable(config, control, recovered));
    return new Decision("fb-" + String.join("+", recovered) + "-" + now, IntentKind.FAILBACK, List.copyOf(recovered),
        nextOut, readOnly, weights, AnalysisCode.REGION_RECOVERED,
        "healthy for " + config.policy().recoverAfter().toSeconds() + " s from a majority of vantages"
            + WritePrimary.failbackNote(config, control, recovered), true, 0, 0);
  }

  private Decision failover(Set<String> down, Map<String, QuorumVerdict> verdicts, ControlState control, long now,
      List<Analysis> analyses) {
    // a region in its cooldown is held back on its own: it must not hold back the others lost with it
    Set<String> regions = new TreeSet<>(down);
    if (config.policy().mode() == PolicyConfig.AutomationMode.AUTO) {
      for (String r : down) {
        SafetyRules.cooldown(config, control, r, now).ifPresent(why -> {
          regions.remove(r);
          analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, r, why));
        });
      }
      if (regions.isEmpty()) {
        return null;
      }
    }
    Set<String> nextOut = new TreeSet<>(control.out());
    nextOut.addAll(regions);
    Optional<Map<String, Map<String, Integer>>> weights = WeightPlan.plan(config.dns(), nextOut, scale(control));
    if (weights.isEmpty()) {
      List<String> recovered = control.out().stream().filter(r -> recovered(r, now)).sorted().toList();
      analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, String.join(",", regions),
          "taking " + regions + " out would leave a record with no serving region: changing nothing (fail-static)"
              + (recovered.isEmpty() ? "" : "; " + recovered + " recovered and can take traffic again: `pharos failback "
                  + recovered.get(0) + "`")));
      return null;
    }
    long downSince = regions.stream().mapToLong(r -> health.get(r).since()).min().orElse(now);
    List<String> wobbling = new ArrayList<>();
    verdicts.forEach((r, v) -> {
      if (!nextOut.contains(r) && !v.wobblingVoters().isEmpty()) {
        wobbling.add(r);
      }
    });
    if (!wobbling.isEmpty() && now - downSince < holdMaxMs) {
      analyses.add(new Analysis(AnalysisCode.FAILOVER_HELD, String.join(",", regions), "holding up to "
          + holdMaxMs + " ms: " + wobbling + " show failing probes too, a wider failure may be unfolding"));
      return null;
    }
    if (config.policy().mode() == PolicyConfig.AutomationMode.APPROVE) {
      ask(regions, "policy.mode is approve", verdicts, control, now, analyses);
      return null;
    }
    Optional<String> block = SafetyRules.blockAutomaticFailover(config, control, regions, now, startedAt);
    if (block.isPresent()) {
      analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, String.join(",", regions), block.get()));
      return null;
    }
    return failoverDecision(regions, nextOut, weights.get(), verdicts, control, now);
  }

  /**
   * Evidence one vantage short for a whole detection window: the decision waits for an operator
   * ({@code policy.shortEvidence: approve}), or is alerted only.
   */
  private void shortEvidence(Set<String> regions, Map<String, QuorumVerdict> verdicts, ControlState control, long now,
      List<Analysis> analyses) {
    if (approvals.shortEvidenceWaits()) {
      ask(regions, "evidence one vantage short", verdicts, control, now, analyses);
      return;
    }
    analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, String.join(",", regions), "evidence one vantage short ("
        + regions.stream().map(r -> r + ": " + evidence(verdicts.get(r))).collect(Collectors.joining("; "))
        + "); policy.shortEvidence is alert: a person must decide"));
  }

  /** Puts a failover of those of {@code regions} not already asked about to an operator. */
  private void ask(Set<String> regions, String why, Map<String, QuorumVerdict> verdicts, ControlState control, long now,
      List<Analysis> analyses) {
    Set<String> asked = approvals.askable(regions, control, health);
    if (asked.isEmpty()) {
      return;
    }
    Set<String> nextOut = new TreeSet<>(control.out());
    nextOut.addAll(asked);
    Optional<Map<String, Map<String, Integer>>> weights = WeightPlan.plan(config.dns(), nextOut, scale(control));
    if (weights.isEmpty()) {
      analyses.add(new Analysis(AnalysisCode.FAILOVER_BLOCKED, String.join(",", asked), "taking " + asked
          + " out would leave a record with no serving region: nothing to approve (fail-static)"));
      return;
    }
    approvals.request(failoverDecision(asked, nextOut, weights.get(), verdicts, control, now), why, control, now,
        analyses).ifPresent(r -> approval = r);
  }

  private Decision failoverDecision(Set<String> regions, Set<String> nextOut, Map<String, Map<String, Integer>> weights,
      Map<String, QuorumVerdict> verdicts, ControlState control, long now) {
    long detectedAt = Long.MAX_VALUE;
    long firstFailure = Long.MAX_VALUE;
    StringBuilder reason = new StringBuilder();
    for (String r : regions) {
      detectedAt = Math.min(detectedAt, health.get(r).since());
      QuorumVerdict v = verdicts.get(r);
      if (v.firstFailureAt() > 0) {
        firstFailure = Math.min(firstFailure, v.firstFailureAt());
      }
      reason.append(reason.length() == 0 ? "" : "; ").append(r).append(": ").append(evidence(v));
    }
    Readiness.Shift shift = Readiness.shift(config, control.weights(), weights, capacity);
    return new Decision("fo-" + String.join("+", regions) + "-" + now, IntentKind.FAILOVER, List.copyOf(regions),
        nextOut, readOnlyAfter(control, regions, Set.of()), shift.weights(), AnalysisCode.REGION_DOWN,
        reason + shift.note(), true, detectedAt, firstFailure == Long.MAX_VALUE ? 0 : firstFailure);
  }

  private static Decision blockedIfEmpty(Optional<Decision> d, Evacuation ev, List<Analysis> analyses) {
    if (d.isEmpty()) {
      analyses.add(new Analysis(AnalysisCode.EVACUATION_PAUSED, ev.region(), "the next change of evacuation " + ev.id()
          + " would leave a record with no serving region: changing nothing (fail-static)"));
    }
    return d.orElse(null);
  }

  /** An evacuating region keeps its current share when weights are planned for another change. */
  static Map<String, Integer> scale(ControlState control) {
    return control.evacuation() == null ? Map.of() : control.evacuation().scale();
  }

  /** Out of traffic by an evacuation (its last step done or being executed), not by a failover. */
  static boolean evacuated(ControlState control, String region) {
    Evacuation ev = control.evacuation();
    return ev != null && ev.region().equals(region) && control.out().contains(region);
  }

  /** Read-only regions after a change: the current ones, plus those fenced, minus those restored. */
  static Set<String> readOnlyAfter(ControlState control, Set<String> fence, Set<String> restore) {
    Set<String> ro = new LinkedHashSet<>();
    control.modes().forEach((r, m) -> {
      if (m.mode() == Mode.READ_ONLY) {
        ro.add(r);
      }
    });
    ro.addAll(fence);
    ro.removeAll(restore);
    return new TreeSet<>(ro);
  }

  private static String evidence(QuorumVerdict v) {
    String s = v.failingVoters().size() + " of " + v.voters() + " other regions see it failing " + v.failingVoters()
        + ", " + v.needed() + " needed";
    if (v.evidence() == QuorumVerdict.Evidence.CONFIRMED_BY_OWN) {
      s += ", confirmed by its own agents standing in for " + (!v.silentVoters().isEmpty() ? "silent "
          + v.silentVoters() : !v.isolatedVoters().isEmpty() ? "cut-off " + v.isolatedVoters()
              : "undecided " + v.unknownVoters());
    } else if (v.evidence() == QuorumVerdict.Evidence.SHORT) {
      s += "; one vote short: " + v.unheard() + " cannot vote (silent " + v.silentVoters() + ", cut off "
          + v.isolatedVoters() + (v.unknownVoters().isEmpty() ? "" : ", no verdict " + v.unknownVoters()) + ")" + (v.own() == io.pharos.core.health.Verdict.FAILING ? ", its own agents see it"
          + " failing" : "");
    }
    return s + (v.ownSilent() ? "; its own agents are silent" : "");
  }
}
