package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.IntentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decisions of an evacuation: the health gate before each step, the step itself and the
 * restore after an abort. Pure functions of config, shared state and the region verdicts; the
 * {@link DecisionEngine} calls them and its caller commits the result like any other decision.
 */
public final class Evacuations {
  private Evacuations() {}

  /** The command that aborts an evacuation, for messages. */
  public static String abortCommand(String region) {
    return "pharos evacuate " + region + " --abort --reason ...";
  }

  /**
   * Why the next step of evacuating {@code region} must wait, or empty when it may go: every
   * region that takes the traffic (in traffic, with a configured weight) must be HEALTHY, not
   * degraded and seen serving by a majority of vantages, and no region may have been failed over
   * since the evacuation started.
   */
  public static List<String> gate(PharosConfig config, ControlState control, Map<String, RegionState> states,
      Map<String, QuorumVerdict> verdicts, String region, Set<String> outBefore) {
    List<String> why = new ArrayList<>();
    int takers = 0;
    for (String r : config.regionNames()) {
      if (r.equals(region) || control.out().contains(r) || !takesTraffic(config, r)) {
        continue;
      }
      takers++;
      RegionState s = states.get(r);
      QuorumVerdict v = verdicts.get(r);
      if (s != RegionState.HEALTHY) {
        why.add(r + " is " + s);
      } else if (v != null && !v.degradedVoters().isEmpty()) {
        why.add(r + " is degraded (" + String.join(", ", v.degradedVoters()) + " see errors above the degraded rate)");
      } else if (v != null && !v.quorumServing()) {
        why.add("no majority of vantages sees " + r + " serving (" + v.servingVoters().size() + " of " + v.needed()
            + " needed)");
      }
    }
    for (String r : new TreeSet<>(control.out())) {
      if (!outBefore.contains(r) && !r.equals(region)) {
        why.add(r + " was failed over during the evacuation");
      }
    }
    if (takers == 0) {
      why.add("no other region in traffic can take " + region + "'s share");
    }
    return why;
  }

  /** Whether a region has a configured weight above 0 in some record. */
  static boolean takesTraffic(PharosConfig config, String region) {
    return config.dns().records().stream().map(RecordConfig::weights).anyMatch(w -> w.getOrDefault(region, 0) > 0);
  }

  /** The next step of {@code ev}, or empty when it would leave some record serving nothing. */
  public static Optional<Decision> step(PharosConfig config, ControlState control, Evacuation ev) {
    int k = ev.stepsDone();
    int percent = ev.steps().get(k);
    Set<String> out = new TreeSet<>(control.out());
    Map<String, Integer> scale = Map.of();
    if (percent == 0) {
      out.add(ev.region());
    } else {
      scale = Map.of(ev.region(), percent);
    }
    return WeightPlan.plan(config.dns(), out, scale).map(weights -> new Decision(ev.stepId(k), IntentKind.EVACUATE,
        List.of(ev.region()), out, ManualDecisions.readOnly(control), weights, AnalysisCode.EVACUATING,
        "evacuation " + ev.id() + " step " + (k + 1) + " of " + ev.steps().size() + ": " + ev.region() + " to "
            + percent + " % of its configured weight (" + ev.by() + ": " + ev.reason() + ")", false, 0, 0));
  }

  /**
   * Puts the region back after an abort: the weights from before the evacuation when nothing else
   * changed since, else the configured weights with the regions that are out now left out.
   */
  public static Optional<Decision> restore(PharosConfig config, ControlState control, Evacuation ev) {
    Set<String> out = new TreeSet<>(control.out());
    out.remove(ev.region());
    Optional<Map<String, Map<String, Integer>>> weights = out.equals(new TreeSet<>(ev.outBefore()))
        && !ControlState.servesNothing(ev.weightsBefore()) ? Optional.of(ev.weightsBefore())
        : WeightPlan.plan(config.dns(), out);
    return weights.map(w -> new Decision(ev.restoreId(), IntentKind.FAILBACK, List.of(ev.region()), out,
        ManualDecisions.readOnly(control), w, AnalysisCode.EVACUATION_ABORTED, "evacuation " + ev.id() + " "
            + ev.abortReason() + ": restoring the weights from before it", false, 0, 0));
  }
}
