package io.pharos.core.wire;

/** Why a report was refused. Each is counted separately. */
public enum RejectReason {
  MALFORMED("malformed"),
  UNSUPPORTED_VERSION("unsupported-version"),
  UNSIGNED("unsigned"),
  BAD_SIGNATURE("bad-signature"),
  EXPIRED_KEY("expired-previous-key"),
  UNKNOWN_REGION("unknown-region"),
  UNKNOWN_ENDPOINT("unknown-endpoint"),
  REPLAYED("replayed"),
  TOO_OLD("too-old");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** Metric tag value. */
  public String label() {
    return label;
  }
}
