package io.pharos.core.decision;

import io.pharos.core.journal.EvacuationPhase;
import java.util.List;

/**
 * How the decision engine sees the evacuation at one step, for status and the next decision.
 *
 * @param id evacuation id
 * @param region the region being evacuated
 * @param phase journal phase
 * @param percentNow percent of its configured weight the region holds now
 * @param nextPercent percent the next step takes it to, or -1 when every step is done
 * @param stepsDone steps completed
 * @param steps steps planned
 * @param nextStepAt controller clock when the next step may be taken (hold since the last step,
 *     or since the gate opened again after a pause), or 0 when no step is ahead
 * @param waitingFor why the health gate holds the next step (empty when it does not)
 * @param stepInProgress an intent of this evacuation is being executed
 */
public record EvacuationStatus(String id, String region, EvacuationPhase phase, int percentNow, int nextPercent,
    int stepsDone, int steps, long nextStepAt, List<String> waitingFor, boolean stepInProgress) {
  public EvacuationStatus {
    waitingFor = List.copyOf(waitingFor);
  }

  public boolean paused() {
    return !waitingFor.isEmpty();
  }
}
