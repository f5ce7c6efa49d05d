package io.pharos.dns.reconcile;

import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.Drift;
import io.pharos.dns.Weights;
import io.pharos.dns.ZoneSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one reconciliation pass found and did. The controller journals {@link #weightsAfter()}
 * and {@link #changeIds()} (as DnsCommitted after a decision), waits for {@link #applied()} to go
 * live, and alerts on {@link #drift()} and {@link #rejected()}.
 *
 * @param trigger a decision or the periodic pass
 * @param token the token the changes were made under
 * @param before what the provider served when the pass began
 * @param plan the full change planned (before any bisection)
 * @param applied every batch the provider accepted, in order (several after a bisection)
 * @param rejected record sets the provider refused, each on its own
 * @param drift differences found that no decision explains (periodic passes only)
 * @param repaired whether the pass wrote anything to put drift back
 * @param weightsAfter what the provider serves once the accepted batches are live
 */
public record ReconcileOutcome(
    Trigger trigger,
    FencingToken token,
    ZoneSnapshot before,
    ChangePlan plan,
    List<ApplyResult> applied,
    List<Rejected> rejected,
    List<Drift> drift,
    boolean repaired,
    Map<String, Map<String, Integer>> weightsAfter) {

  /** Why the pass ran. */
  public enum Trigger {
    DECISION,
    PERIODIC
  }

  public ReconcileOutcome {
    applied = List.copyOf(applied);
    rejected = List.copyOf(rejected);
    drift = List.copyOf(drift);
    weightsAfter = Weights.copyOf(weightsAfter);
  }

  /** The provider's change ids, comma-separated (for the DnsCommitted entry). */
  public String changeIds() {
    return applied.stream().map(ApplyResult::changeId).collect(Collectors.joining(","));
  }

  /** One paragraph for logs and the timeline. */
  public String describe() {
    StringBuilder b = new StringBuilder(trigger.name().toLowerCase()).append(" pass under token ").append(token)
        .append(": ").append(plan.isEmpty() ? "no changes" : plan.size() + " record sets planned")
        .append(", ").append(applied.size()).append(" batch(es) applied");
    if (!rejected.isEmpty()) {
      b.append(", rejected: ").append(rejected);
    }
    if (!drift.isEmpty()) {
      b.append(", drift: ").append(drift).append(repaired ? " (repaired)" : " (reported only)");
    }
    return b.toString();
  }
}
