package io.pharos.core.health;

/** What one vantage (an observing region) currently sees of one target region. */
public enum Verdict {
  /** The vantage's agents have not been heard from recently. */
  SILENT,
  /**
   * Heard, but no verdict: not enough fresh probe results (at start, or an agent stopped reporting
   * an endpoint), or its agents are split evenly between failing and serving. The vantage cannot
   * vote on the region: it neither blocks nor triggers a failover.
   */
  NO_DATA,
  UP,
  /** Up, but with an error rate above the degraded threshold or a non-critical endpoint down. */
  DEGRADED,
  /** A critical endpoint of the target is failing. */
  FAILING;

  public boolean seesServing() {
    return this == UP || this == DEGRADED;
  }
}
