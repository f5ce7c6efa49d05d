package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.EvacuationPhase;
import java.util.List;
import java.util.Map;

/**
 * The running evacuation's gate and schedule, part of the pure decision step: whether the regions
 * that took its traffic are healthy enough for its next step, and when that step is due. Keeps one
 * piece of state, since when the gate is open again after a pause, for the evacuation it watches.
 */
final class EvacuationGate {
  private static final long NEVER_PAUSED = Long.MIN_VALUE;
  private static final long PAUSED = -1;
  private final PharosConfig config;
  /** The evacuation whose gate is watched, and since when its gate is open again after a pause. */
  private String gateFor;
  private long gateOpenSince = NEVER_PAUSED;

  EvacuationGate(PharosConfig config) {
    this.config = config;
  }

  /**
   * The evacuation's gate and schedule. The gate is watched on every step: after a pause the next
   * step waits a whole hold from the moment the regions that took the traffic are healthy again.
   */
  EvacuationStatus look(Map<String, QuorumVerdict> verdicts, Map<String, RegionState> states,
      ControlState control, long now, List<Analysis> analyses) {
    Evacuation ev = control.evacuation();
    if (ev == null) {
      gateFor = null;
      return null;
    }
    if (!ev.id().equals(gateFor)) {
      gateFor = ev.id();
      gateOpenSince = NEVER_PAUSED;
    }
    var pending = control.pending();
    boolean inProgress = pending != null && pending.intent().decisionId().startsWith(ev.id() + "-");
    List<String> waiting = List.of();
    long nextAt = 0;
    if (ev.phase() == EvacuationPhase.RUNNING) {
      waiting = Evacuations.gate(config, control, states, verdicts, ev.region(), ev.outBefore());
      if (!waiting.isEmpty()) {
        gateOpenSince = PAUSED;
      } else if (gateOpenSince == PAUSED) {
        gateOpenSince = now;
      }
      long afterHold = ev.stepsDone() == 0 ? ev.startedAt() : ev.lastStepAt() + ev.holdMs();
      nextAt = gateOpenSince > 0 ? Math.max(afterHold, gateOpenSince + ev.holdMs()) : afterHold;
    }
    EvacuationStatus status = new EvacuationStatus(ev.id(), ev.region(), ev.phase(), ev.percentNow(), ev.nextPercent(),
        ev.stepsDone(), ev.steps().size(), nextAt, waiting, inProgress);
    switch (ev.phase()) {
      case RUNNING -> analyses.add(!waiting.isEmpty()
          ? new Analysis(AnalysisCode.EVACUATION_PAUSED, ev.region(), "evacuation " + ev.id() + " paused before "
              + ev.nextPercent() + " %: " + String.join("; ", waiting) + ". It goes on by itself a hold ("
              + ev.holdMs() / 1000.0 + " s) after they are healthy again, or abort it: `"
              + Evacuations.abortCommand(ev.region()) + "`")
          : new Analysis(AnalysisCode.EVACUATING, ev.region(), ev.region() + " at " + ev.percentNow()
              + " % of its configured weight (" + ev.describeSteps() + ", step " + ev.stepsDone() + " of "
              + ev.steps().size() + " done)" + (inProgress ? "; a step is being executed"
                  : "; next step " + ev.nextPercent() + " % " + (now >= nextAt ? "now" : "in "
                      + (nextAt - now) / 1000 + " s"))));
      case ABORTING -> analyses.add(new Analysis(AnalysisCode.EVACUATING, ev.region(), "evacuation " + ev.id() + " "
          + ev.abortReason() + "; restoring the weights from before it"));
      default -> { }
    }
    return status;
  }
}
