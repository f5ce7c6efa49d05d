package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.ReadOnlySet;
import io.pharos.core.journal.WritePrimaryPromoted;
import io.pharos.core.model.Mode;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write primary and read-only mode as people steer them (R7): {@code pharos readonly on|off}
 * and {@code pharos promote}, and the rule that a write primary lost to a failover stays read-only
 * when it comes back, until an operator promotes it (or another region). Pure: the controller reads
 * the replication lag and commits what these return.
 */
public final class WritePrimary {
  private WritePrimary() {}

  /** The write primary now: promoted through the journal, else the config's (may be null). */
  public static String of(PharosConfig config, ControlState control) {
    return control.writePrimary(config.policy().writePrimary());
  }

  /**
   * Of {@code back}, the regions a failback makes read-write again: all but the write primary,
   * which stays read-only until promoted (its data may be behind the writes taken meanwhile, or
   * there were none: a person decides).
   */
  public static Set<String> restorable(PharosConfig config, ControlState control, Set<String> back) {
    Set<String> out = new TreeSet<>(back);
    String primary = of(config, control);
    if (primary != null) {
      out.remove(primary);
    }
    return out;
  }

  /** Whether a failback of {@code back} leaves the write primary read-only (said in its reason). */
  public static String failbackNote(PharosConfig config, ControlState control, Set<String> back) {
    String primary = of(config, control);
    return primary != null && back.contains(primary) ? "; " + primary + " is the write primary: it stays read-only"
        + " until promoted (`pharos promote " + primary + " --reason ...`)" : "";
  }

  /** Turns read-only on or off for {@code region}, or says why not. */
  public static ReadOnlySet readOnly(PharosConfig config, ControlState control, String region, boolean on, String by,
      String reason, long term, long now, String controller) {
    known(config, control, region);
    if (!on && region.equals(of(config, control))) {
      throw new ManualDecisions.Refused("region " + region + " is the write primary: it becomes read-write by `pharos"
          + " promote " + region + " --reason ...`, which checks the replication lag against the RPO");
    }
    if (control.modes().get(region).mode() == (on ? Mode.READ_ONLY : Mode.READ_WRITE)) {
      throw new ManualDecisions.Refused("region " + region + " is already " + (on ? "read-only" : "read-write"));
    }
    return new ReadOnlySet(region, on, by, reason, term, now, controller);
  }

  /**
   * Promotes {@code region} to write primary, or says why not: refused while the replication lag
   * exceeds {@code policy.rpo}, or could not be read, unless {@code force}.
   */
  public static WritePrimaryPromoted promote(PharosConfig config, ControlState control, String region,
      ReplicationLag lag, boolean force, String by, String reason, long term, long now, String controller) {
    known(config, control, region);
    String previous = of(config, control);
    if (region.equals(previous) && control.modes().get(region).mode() == Mode.READ_WRITE) {
      throw new ManualDecisions.Refused("region " + region + " is already the write primary and read-write");
    }
    Duration rpo = config.policy().rpo();
    if (!force) {
      if (!lag.read()) {
        throw new ManualDecisions.Refused("not promoting " + region + ": the replication lag is unknown ("
            + lag.problem() + "), so the RPO of " + rpo.toSeconds() + " s cannot be checked; promote with --force"
            + " if you know the data is current");
      }
      if (lag.seconds() > rpo.toMillis() / 1000.0) {
        throw new ManualDecisions.Refused("not promoting " + region + ": replication lag " + lag.seconds()
            + " s exceeds the RPO of " + rpo.toSeconds() + " s (policy.rpo); wait for replication to catch up, or"
            + " promote with --force and accept losing up to " + lag.seconds() + " s of writes");
      }
    }
    return new WritePrimaryPromoted(region, previous, lag.read() ? lag.seconds() : -1, force, by, reason, term, now,
        controller);
  }

  private static void known(PharosConfig config, ControlState control, String region) {
    if (config.region(region).isEmpty()) {
      throw new ManualDecisions.Refused("unknown region '" + region + "' (configured: " + config.regionNames() + ")");
    }
    if (control.out().contains(region)) {
      throw new ManualDecisions.Refused("region " + region + " is failed over: it stays read-only until failed back"
          + " (`pharos failback " + region + " --reason ...`)");
    }
    if (control.pending() != null) {
      throw new ManualDecisions.Refused("decision " + control.pending().intent().decisionId() + " is still in progress");
    }
  }
}
