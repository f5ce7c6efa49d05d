package io.pharos.core.wire;

/**
 * Why a report was refused or dropped. Each is counted separately (metric
 * {@code pharos_reports_rejected_total{reason}}, and {@code rejectedReports} in status).
 */
public enum RejectReason {
  /** A topic message that is not a byte frame: refused without deserializing it. */
  NOT_BYTES("not-bytes"),
  /** Larger than the configured endpoints can need (checked first, before anything is read). */
  OVERSIZED("oversized"),
  MALFORMED("malformed"),
  UNSUPPORTED_VERSION("unsupported-version"),
  UNKNOWN_REGION("unknown-region"),
  /** A key generation newer than the controllers' current one for that region. */
  UNKNOWN_KEY("unknown-key-generation"),
  /** The previous generation after its grace, or an older one. */
  EXPIRED_KEY("expired-key"),
  /** The MAC is not the named region's key's: an outsider, or an agent of another region. */
  BAD_SIGNATURE("bad-signature"),
  UNKNOWN_ENDPOINT("unknown-endpoint"),
  /**
   * The second copy of a report (agents publish every report on two paths) or a retry of one
   * already counted: expected, quiet.
   */
  DUPLICATE("duplicate"),
  /** A report of this agent seen before, of a boot that ended, or below its replay window. */
  REPLAYED("replayed"),
  /** The ingest queue holds as many bytes as it may: the decision thread is behind. */
  QUEUE_FULL("ingest-queue-full"),
  /** This agent already has as many reports waiting as one agent may. */
  AGENT_BACKLOG("agent-backlog-full");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** Metric tag value. */
  public String label() {
    return label;
  }

  /** Whether a rejection is worth a (rate-limited) warning: duplicates are part of normal operation. */
  public boolean alarming() {
    return this != DUPLICATE;
  }
}
