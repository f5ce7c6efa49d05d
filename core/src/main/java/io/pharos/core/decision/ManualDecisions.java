package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Evacuation;
import io.pharos.core.journal.EvacuationAborted;
import io.pharos.core.journal.EvacuationPhase;
import io.pharos.core.journal.EvacuationStarted;
import io.pharos.core.journal.IntentKind;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.Mode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Changes an operator asks for, checked against the rules that hold for people too: a region must
 * exist, one change at a time, and never every weight at zero. Pure: the controller commits the
 * resulting decision like any other.
 */
public final class ManualDecisions {
  private ManualDecisions() {}

  /** A refused command, with the reason to show the operator. */
  public static final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message);
    }
  }

  /** Moves traffic away from {@code region} and sets it read-only. */
  public static Decision failover(PharosConfig config, ControlState control, String region, String by, String reason,
      long now) {
    check(config, control, region);
    if (control.out().contains(region)) {
      throw new Refused("region " + region + " is already failed over");
    }
    Set<String> out = new TreeSet<>(control.out());
    out.add(region);
    Optional<Map<String, Map<String, Integer>>> weights = WeightPlan.plan(config.dns(), out,
        DecisionEngine.scale(control));
    if (weights.isEmpty()) {
      throw new Refused("failing over " + region + " would leave a record with no serving region");
    }
    Set<String> readOnly = readOnly(control);
    readOnly.add(region);
    return new Decision("op-fo-" + region + "-" + now, IntentKind.FAILOVER, List.of(region), out, readOnly,
        weights.get(), AnalysisCode.REGION_DOWN, "operator " + by + ": " + reason, false, 0, 0);
  }

  /**
   * Brings {@code region} back: its base weight and read-write mode. Refused while the region is
   * not healthy unless {@code force}.
   */
  public static Decision failback(PharosConfig config, ControlState control, String region, boolean healthy,
      boolean force, String by, String reason, long now) {
    check(config, control, region);
    Evacuation ev = control.evacuation();
    if (ev != null && ev.region().equals(region) && ev.phase() != EvacuationPhase.EVACUATED) {
      throw new Refused("region " + region + " is being evacuated (" + ev.id() + ", " + ev.phase().name().toLowerCase()
          + ", at " + ev.percentNow() + " %); to put it back, abort the evacuation: `"
          + Evacuations.abortCommand(region) + "`");
    }
    if (!control.out().contains(region)) {
      throw new Refused("region " + region + " is not failed over");
    }
    if (!healthy && !force) {
      throw new Refused("region " + region + " has not been healthy for the stabilisation window; wait, or"
          + " force it (--force) if you know better");
    }
    Set<String> out = new TreeSet<>(control.out());
    out.remove(region);
    Set<String> readOnly = readOnly(control);
    // R7: a write primary lost to a failover comes back read-only, until an operator promotes it
    readOnly.removeAll(WritePrimary.restorable(config, control, Set.of(region)));
    return new Decision("op-fb-" + region + "-" + now, IntentKind.FAILBACK, List.of(region), out, readOnly,
        WeightPlan.plan(config.dns(), out).orElseThrow(), AnalysisCode.REGION_RECOVERED,
        "operator " + by + ": " + reason + WritePrimary.failbackNote(config, control, Set.of(region)), false, 0, 0);
  }

  /**
   * Starts evacuating {@code region}: refused unless it is in traffic, nothing else is in progress,
   * the regions that would take its traffic pass the health gate ({@code gate}, from the latest
   * decision step) and taking it out entirely would leave every record serving.
   */
  public static EvacuationStarted evacuate(PharosConfig config, ControlState control, String region,
      EvacuationPlan plan, List<String> gate, String by, String reason, long term, long now, String controller) {
    check(config, control, region);
    Evacuation ev = control.evacuation();
    if (ev != null) {
      throw new Refused("evacuation " + ev.id() + " of " + ev.region() + " is " + ev.phase().name().toLowerCase()
          + (ev.phase() == EvacuationPhase.EVACUATED ? "; fail it back first: `pharos failback " + ev.region() + "`"
              : "; one evacuation at a time (abort it: `" + Evacuations.abortCommand(ev.region()) + "`)"));
    }
    if (control.out().contains(region)) {
      throw new Refused("region " + region + " is already out of traffic");
    }
    if (!Evacuations.takesTraffic(config, region)) {
      throw new Refused("region " + region + " has no configured weight in any record: nothing to evacuate");
    }
    Set<String> out = new TreeSet<>(control.out());
    out.add(region);
    if (WeightPlan.plan(config.dns(), out).isEmpty()) {
      throw new Refused("evacuating " + region + " would leave a record with no serving region");
    }
    if (!gate.isEmpty()) {
      throw new Refused("not evacuating " + region + ": the regions that would take its traffic must be healthy, but "
          + String.join("; ", gate));
    }
    return new EvacuationStarted("ev-" + region + "-" + now, region, plan.steps(), plan.hold().toMillis(), by, reason,
        term, now, controller);
  }

  /** Aborts the running evacuation of {@code region}; the engine then restores the weights from before it. */
  public static EvacuationAborted abortEvacuation(ControlState control, String region, String by, String reason,
      long term, long now, String controller) {
    Evacuation ev = control.evacuation();
    if (ev == null || !ev.region().equals(region)) {
      throw new Refused("no evacuation of " + region + " is in progress"
          + (ev == null ? "" : " (" + ev.id() + " evacuates " + ev.region() + ")"));
    }
    if (ev.phase() == EvacuationPhase.EVACUATED) {
      throw new Refused(region + " is evacuated (" + ev.id() + "): fail it back with `pharos failback " + region + "`");
    }
    if (ev.phase() == EvacuationPhase.ABORTING) {
      throw new Refused("evacuation " + ev.id() + " is already being aborted (" + ev.abortReason() + ")");
    }
    return new EvacuationAborted(ev.id(), by, reason, term, now, controller);
  }

  private static void check(PharosConfig config, ControlState control, String region) {
    if (config.region(region).isEmpty()) {
      throw new Refused("unknown region '" + region + "' (configured: " + config.regionNames() + ")");
    }
    if (control.pending() != null) {
      throw new Refused("decision " + control.pending().intent().decisionId() + " is still in progress");
    }
  }

  static Set<String> readOnly(ControlState control) {
    Set<String> ro = new TreeSet<>();
    for (Map.Entry<String, RegionMode> e : control.modes().entrySet()) {
      if (e.getValue().mode() == Mode.READ_ONLY) {
        ro.add(e.getKey());
      }
    }
    return ro;
  }
}
