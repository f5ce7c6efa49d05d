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

  /** One state machine move. */
  public record Transition(String region, RegionTransition transition, long at) {}
}
