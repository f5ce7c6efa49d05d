package io.pharos.core.config;

import java.time.Duration;

/**
 * What the controllers may do on their own, and the safety limits around it.
 *
 * @param mode auto (act alone), approve (wait for an operator) or observe (alert only)
 * @param writePrimary region that takes writes, or null
 * @param cooldown minimum time between two automatic changes
 * @param maxAutoFailovers automatic failovers allowed per {@code maxAutoFailoversWindow}
 * @param maxAutoFailoversWindow the window for {@code maxAutoFailovers}
 * @param failback manual (default) or auto
 * @param failingErrorRate error rate over which a vantage sees an endpoint failing
 * @param degradedErrorRate error rate over which a region is degraded (alert only)
 * @param latencyBudget a probe slower than this counts as failed, unless the endpoint sets one
 * @param startupGrace no automatic action this long after a controller starts
 * @param recoverAfter healthy time before a recovering region counts as healthy again
 * @param modeLease how long agents trust the last mode they heard before self-fencing
 * @param selfFence whether the write primary's agents answer read-only when their lease runs out
 * @param degradedAfter how long the error rate must stay above {@code degradedErrorRate} (measured
 *     over this window, restarted at every recovery) before RegionDegraded is raised
 * @param shortEvidence what a failover one vantage short of clear evidence does: wait for an
 *     operator's approval (default) or alert only
 * @param rpo the most replication lag a promotion accepts without {@code --force} (default 5 min)
 * @param replicationLagSource a URL answering the replication lag in seconds (a number, or JSON
 *     {@code {"lagSeconds": n}}), read before a promotion; null when not configured
 * @param capacity whether the survivors' capacity headroom only informs (advisory, default) or also
 *     shapes the weights of a failover (shape)
 * @param approvalEscalateAfter how long a decision may wait for an operator before the wait is
 *     escalated (a second page, {@code ApprovalOverdue}); the decision still never acts on its own
 */
public record PolicyConfig(
    AutomationMode mode,
    String writePrimary,
    Duration cooldown,
    int maxAutoFailovers,
    Duration maxAutoFailoversWindow,
    FailbackPolicy failback,
    double failingErrorRate,
    double degradedErrorRate,
    Duration latencyBudget,
    Duration startupGrace,
    Duration recoverAfter,
    Duration modeLease,
    boolean selfFence,
    Duration degradedAfter,
    ShortEvidence shortEvidence,
    Duration rpo,
    java.net.URI replicationLagSource,
    CapacityPolicy capacity,
    Duration approvalEscalateAfter) {

  /** How long a decision waits for an operator before it is escalated when the config does not say. */
  public static final Duration DEFAULT_APPROVAL_ESCALATE_AFTER = Duration.ofMinutes(10);

  public PolicyConfig {
    approvalEscalateAfter = approvalEscalateAfter == null ? DEFAULT_APPROVAL_ESCALATE_AFTER : approvalEscalateAfter;
  }


  /** What the survivors' capacity headroom does (DESIGN.md "Capacity"). */
  public enum CapacityPolicy {
    /** Shown in the readiness evidence and alerted; the weights stay as configured. */
    ADVISORY,
    /**
     * Also shapes a failover's weights toward the survivors with headroom; never keeps traffic on a
     * dead region because the survivors lack it.
     */
    SHAPE
  }

  /** Who acts on a decision. */
  public enum AutomationMode {
    AUTO,
    APPROVE,
    OBSERVE
  }

  /** What a failover one vantage short of clear evidence does. */
  public enum ShortEvidence {
    /** The decision waits with its evidence for {@code pharos approve} or {@code pharos reject}. */
    APPROVE,
    /** Nothing moves; the shortfall is paged. */
    ALERT
  }

  /** How a failed-over region comes back. */
  public enum FailbackPolicy {
    MANUAL,
    AUTO
  }
}
