package io.pharos.core.journal;

import io.pharos.core.config.Durations;
import io.pharos.core.decision.EvacuationPlan;
import io.pharos.core.model.EventType;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.PharosEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How journal entries move the operator's evacuation (R9, ADR 0007) inside {@link ControlState}:
 * which entries it refuses, and the evacuation after an entry, with the timeline events it adds.
 * Pure functions of the state, like the rest of {@code apply}.
 */
final class EvacuationTransitions {
  private EvacuationTransitions() {}

  /** Why an evacuation cannot start in {@code state}, or null. */
  static String startProblem(ControlState state, EvacuationStarted st) {
    Evacuation evacuation = state.evacuation();
    if (evacuation != null) {
      return "evacuation " + evacuation.id() + " of " + evacuation.region() + " is " + phase(evacuation)
          + (evacuation.phase() == EvacuationPhase.EVACUATED ? ": fail it back first" : "");
    }
    if (!state.modes().containsKey(st.region())) {
      return "unknown region '" + st.region() + "'";
    }
    if (state.out().contains(st.region())) {
      return "region " + st.region() + " is already out of traffic";
    }
    if (state.pending() != null) {
      return "intent " + state.pending().intent().decisionId() + " is still in progress";
    }
    return EvacuationPlan.problem(st.steps(), Duration.ofMillis(st.holdMs()));
  }

  /** The evacuation an accepted start begins, from the traffic as it is now. */
  static Evacuation started(EvacuationStarted st, Set<String> out, Map<String, Map<String, Integer>> weights,
      List<PharosEvent> add) {
    Evacuation ev = new Evacuation(st.evacuationId(), st.region(), st.steps(), st.holdMs(), st.by(), st.reason(),
        st.at(), out, weights, 0, st.at(), EvacuationPhase.RUNNING, null);
    add.add(event(st.at(), st.region(), "EvacuationStarted", ev.id() + " of " + ev.region() + " by " + st.by() + ": "
        + ev.describeSteps() + ", hold " + Durations.format(Duration.ofMillis(st.holdMs())) + " (" + st.reason()
        + ")", st.controller(), null));
    return ev;
  }

  /** Why the operator's abort does not apply, or null. */
  static String abortProblem(Evacuation evacuation, EvacuationAborted ab) {
    if (evacuation == null || !evacuation.id().equals(ab.evacuationId())) {
      return "no evacuation " + ab.evacuationId() + " is in progress"
          + (evacuation == null ? "" : " (in progress: " + evacuation.id() + ")");
    }
    if (evacuation.phase() != EvacuationPhase.RUNNING) {
      return "evacuation " + ab.evacuationId() + " is " + phase(evacuation)
          + (evacuation.phase() == EvacuationPhase.EVACUATED ? ": fail " + evacuation.region()
              + " back instead (`pharos failback " + evacuation.region() + "`)" : "");
    }
    return null;
  }

  /** The evacuation after the operator's abort: its weights are to come back. */
  static Evacuation aborted(Evacuation evacuation, EvacuationAborted ab, List<PharosEvent> add) {
    String why = "aborted by " + ab.by() + ": " + ab.reason();
    add.add(event(ab.at(), evacuation.region(), "EvacuationAborted", evacuation.id() + " of " + evacuation.region()
        + " " + why + "; restoring the weights from before it", ab.controller(), null));
    return evacuation.aborting(why);
  }

  /** Why an intent does not fit the evacuation in progress, or null. */
  static String intentProblem(Evacuation evacuation, Intent i) {
    if (i.kind() == IntentKind.EVACUATE) {
      if (evacuation == null || evacuation.phase() != EvacuationPhase.RUNNING) {
        return "no evacuation is running for step " + i.decisionId();
      }
      String expected = evacuation.stepId(evacuation.stepsDone());
      if (!expected.equals(i.decisionId()) || !i.regions().equals(List.of(evacuation.region()))) {
        return "intent " + i.decisionId() + " is not the next step of evacuation " + evacuation.id() + " (expected "
            + expected + ")";
      }
    }
    if (evacuation != null && evacuation.restoreId().equals(i.decisionId())
        && evacuation.phase() != EvacuationPhase.ABORTING) {
      return "evacuation " + evacuation.id() + " is not being aborted";
    }
    return null;
  }

  /** The evacuation once an intent is accepted: a failover of its region ends it. */
  static Evacuation afterIntent(Evacuation evacuation, Intent i, FencingToken token, List<PharosEvent> add) {
    if (evacuation == null || i.kind() != IntentKind.FAILOVER || !i.regions().contains(evacuation.region())) {
      return evacuation;
    }
    add.add(event(i.at(), evacuation.region(), "EvacuationEnded", evacuation.id() + " ended: " + evacuation.region()
        + " is being failed over (" + i.decisionId() + ")", i.controller(), token));
    return null;
  }

  /** The evacuation after one of its intents (or another that concerns its region) finished. */
  static Evacuation afterCompleted(Evacuation ev, IntentRecord r, Completed c, List<PharosEvent> add) {
    Intent i = r.intent();
    if (ev == null || !i.regions().contains(ev.region())) {
      return ev;
    }
    if (i.kind() == IntentKind.EVACUATE && ev.phase() == EvacuationPhase.RUNNING) {
      if (c.aborted()) {
        String why = "step " + i.decisionId() + " " + c.detail();
        add.add(event(c.at(), ev.region(), "EvacuationAborted", ev.id() + " of " + ev.region() + ": " + why
            + "; restoring the weights from before it", c.controller(), r.token()));
        return ev.aborting(why);
      }
      Evacuation next = ev.withStepDone(c.at());
      if (next.phase() == EvacuationPhase.EVACUATED) {
        add.add(event(c.at(), ev.region(), "Evacuated", ev.region() + " is out of traffic (" + ev.id() + "); fail it"
            + " back with `pharos failback " + ev.region() + "`", c.controller(), r.token()));
      }
      return next;
    }
    if (i.kind() == IntentKind.FAILBACK) {
      if (c.aborted() && ev.phase() == EvacuationPhase.EVACUATED) {
        return ev;
      }
      String how = ev.phase() == EvacuationPhase.ABORTING ? "restore after abort" : "failback";
      add.add(event(c.at(), ev.region(), "EvacuationEnded", ev.id() + " ended: " + how + (c.aborted()
          ? " aborted, traffic stays as DNS serves it" : " done, " + ev.region() + " back at its configured weight"),
          c.controller(), r.token()));
      return null;
    }
    return ev;
  }

  private static String phase(Evacuation ev) {
    return ev.phase().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Evacuation milestones go on the timeline as INFO alerts with their own codes. */
  private static PharosEvent event(long at, String region, String code, String detail, String controller,
      FencingToken token) {
    return new PharosEvent(at, EventType.ALERT, region, null, code, detail, controller, token);
  }
}
