package io.pharos.core.decision;

/**
 * Every situation the analyser can name, mapped here — and only here — to what the controller
 * does about it.
 */
public enum AnalysisCode {
  HEALTHY(Response.NONE, Severity.INFO),
  REGION_SUSPECT(Response.NONE, Severity.INFO),
  /** A majority of the other regions sees the region failing. */
  REGION_DOWN(Response.FAILOVER, Severity.CRITICAL),
  REGION_RECOVERING(Response.NONE, Severity.INFO),
  /** A failed-over region has been healthy for the stabilisation window. */
  REGION_RECOVERED(Response.FAILBACK, Severity.INFO),
  /** Errors or latency above the degraded threshold, below failing: alert only. */
  REGION_DEGRADED(Response.ALERT, Severity.WARNING),
  /** The region's own agents are silent while the other regions see it serving. */
  MONITORING_PARTITION(Response.ALERT, Severity.WARNING),
  /** A vantage sees every other region failing: it is the one cut off; its votes are dropped. */
  OBSERVER_ISOLATED(Response.ALERT, Severity.WARNING),
  /** Too few vantages are heard to form a majority about a region: nothing can be decided. */
  VANTAGE_QUORUM_LOST(Response.ALERT, Severity.CRITICAL),
  /** Every region looks down: change nothing and page. */
  ALL_REGIONS_DOWN(Response.FAIL_STATIC, Severity.CRITICAL),
  /** This controller cannot reach a majority of the controllers: it does nothing. */
  CONTROLLER_MINORITY(Response.FAIL_STATIC, Severity.CRITICAL),
  /** A failover is needed but a safety rule holds it back; the message names the rule. */
  FAILOVER_BLOCKED(Response.ALERT, Severity.CRITICAL),
  /**
   * A failover waits for an operator (policy.mode approve, or evidence one vantage short): the
   * message holds the evidence and the commands that answer it.
   */
  FAILOVER_AWAITING_APPROVAL(Response.APPROVE, Severity.CRITICAL),
  /**
   * A decision has waited for an operator longer than {@code policy.approvalEscalateAfter}: the
   * escalation, paged as its own incident beside the wait's; the decision still never acts alone.
   */
  APPROVAL_OVERDUE(Response.ALERT, Severity.CRITICAL),
  /** A failover is held for a moment because other regions show failing probes too. */
  FAILOVER_HELD(Response.NONE, Severity.INFO),
  /** The region's traffic has been moved away. */
  FAILED_OVER(Response.NONE, Severity.INFO),
  /**
   * A failed-over region has been down for 30 s and more (DESIGN.md "Alerts"): its users are served
   * elsewhere, a person must look at the region itself.
   */
  REGION_STILL_DOWN(Response.ALERT, Severity.CRITICAL),
  /**
   * An operator's evacuation is moving the region's traffic out step by step; its steps are taken
   * by the decision engine (the milestones are on the timeline as their own events).
   */
  EVACUATING(Response.NONE, Severity.INFO),
  /** The evacuation waits: a region that took the traffic is not healthy; the message names it. */
  EVACUATION_PAUSED(Response.ALERT, Severity.WARNING),
  /** The evacuation was aborted: the weights from before it are restored. */
  EVACUATION_ABORTED(Response.NONE, Severity.INFO),
  /** The region was evacuated by an operator and stays out of traffic until failed back. */
  EVACUATED(Response.NONE, Severity.INFO),
  /**
   * Agents of the region still sign with its previous report key generation (accepted until the
   * grace of the rotation ends): the message names them and the key to give them.
   */
  PREVIOUS_KEY_IN_USE(Response.ALERT, Severity.WARNING),
  /**
   * Agents' wall clocks are far off the controllers' (freshness does not depend on them; timelines
   * and observation times do): the message names the agents and the offsets.
   */
  AGENT_CLOCK_SKEW(Response.ALERT, Severity.WARNING),
  /**
   * A failover would fail or overload a survivor right now (failover readiness): the DNS provider
   * does not answer or refuses the dry run of the change, records are missing, the controllers
   * have no healthy quorum, or the survivors lack the capacity headroom for the shifted share.
   */
  FAILOVER_AT_RISK(Response.ALERT, Severity.WARNING);

  /** What the controller does. */
  public enum Response {
    NONE,
    ALERT,
    FAILOVER,
    /** A decision is recorded and waits for an operator's approval. */
    APPROVE,
    FAILBACK,
    FAIL_STATIC
  }

  /** How loud the alert is. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  private final Response response;
  private final Severity severity;

  AnalysisCode(Response response, Severity severity) {
    this.response = response;
    this.severity = severity;
  }

  public Response response() {
    return response;
  }

  public Severity severity() {
    return severity;
  }

  /** CamelCase name used in logs, events and docs ({@code RegionDown}). */
  public String label() {
    StringBuilder sb = new StringBuilder();
    for (String part : name().split("_")) {
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
    }
    return sb.toString();
  }
}
