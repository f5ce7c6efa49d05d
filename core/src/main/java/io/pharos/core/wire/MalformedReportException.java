package io.pharos.core.wire;

/** The bytes are not a report this version can read. */
public final class MalformedReportException extends Exception {
  private final RejectReason reason;

  public MalformedReportException(RejectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
