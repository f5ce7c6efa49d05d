package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
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
public final class OperatorCommands {
  private OperatorCommands() {}

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
    Optional<Map<String, Map<String, Integer>>> weights = WeightPlan.plan(config.dns(), out);
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
    readOnly.remove(region);
    return new Decision("op-fb-" + region + "-" + now, IntentKind.FAILBACK, List.of(region), out, readOnly,
        WeightPlan.plan(config.dns(), out).orElseThrow(), AnalysisCode.REGION_RECOVERED,
        "operator " + by + ": " + reason, false, 0, 0);
  }

  private static void check(PharosConfig config, ControlState control, String region) {
    if (config.region(region).isEmpty()) {
      throw new Refused("unknown region '" + region + "' (configured: " + config.regionNames() + ")");
    }
    if (control.pending() != null) {
      throw new Refused("decision " + control.pending().intent().decisionId() + " is still in progress");
    }
  }

  private static Set<String> readOnly(ControlState control) {
    Set<String> ro = new TreeSet<>();
    for (Map.Entry<String, RegionMode> e : control.modes().entrySet()) {
      if (e.getValue().mode() == Mode.READ_ONLY) {
        ro.add(e.getKey());
      }
    }
    return ro;
  }
}
