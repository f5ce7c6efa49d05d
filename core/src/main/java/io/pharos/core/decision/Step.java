package io.pharos.core.decision;

import io.pharos.core.health.ClusterView;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionState;
import io.pharos.core.health.RegionTransition;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one decision step.
 *
 * @param at controller clock
 * @param verdicts per region, how the other vantages see it
 * @param health per region, the state machine's state
 * @param transitions state machine moves taken in this step
 * @param analyses every current finding
 * @param decision the change to make, or null
 * @param evacuation the evacuation as the engine sees it, or null when there is none
 * @param approval a decision to record as waiting for an operator, or one to withdraw; or null
 * @param view the picture the step was decided on (what each vantage saw, the agents heard and
 *     those dropped), or null
 */
public record Step(
    long at,
    Map<String, QuorumVerdict> verdicts,
    Map<String, RegionState> health,
    List<Transition> transitions,
    List<Analysis> analyses,
    Decision decision,
    EvacuationStatus evacuation,
    ApprovalAction approval,
    ClusterView view) {

  /**
   * The regions the agents of {@code vantage} see failing in this step: its own region as its own
   * agents see it, others as its (voting) agents see them.
   */
  public java.util.Set<String> seenFailingBy(String vantage) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    verdicts.forEach((region, v) -> {
      if (region.equals(vantage) ? v.own() == io.pharos.core.health.Verdict.FAILING
          : v.failingVoters().contains(vantage)) {
        out.add(region);
      }
    });
    return out;
  }

  /** A step without the picture it was decided on (tests, replays). */
  public Step(long at, Map<String, QuorumVerdict> verdicts, Map<String, RegionState> health,
      List<Transition> transitions, List<Analysis> analyses, Decision decision, EvacuationStatus evacuation,
      ApprovalAction approval) {
    this(at, verdicts, health, transitions, analyses, decision, evacuation, approval, null);
  }

  /** One state machine move. */
  public record Transition(String region, RegionTransition transition, long at) {}
}
