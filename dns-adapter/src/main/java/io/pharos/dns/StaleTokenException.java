package io.pharos.dns;

import io.pharos.core.model.FencingToken;

/**
 * A change carried a token that is not newer than one already accepted: the sender has been
 * superseded by a newer decision (usually a newer leader). Never retried with the same token.
 */
public class StaleTokenException extends DnsProviderException {
  private final FencingToken offered;
  private final FencingToken accepted;

  public StaleTokenException(FencingToken offered, FencingToken accepted) {
    super("refused change with fencing token " + offered + ": token " + accepted
        + " was already accepted and a change must carry a newer one; this controller is no longer"
        + " the one acting, re-read the journal and the zone instead of retrying", false);
    this.offered = offered;
    this.accepted = accepted;
  }

  /** For subclasses that explain the refusal differently. */
  protected StaleTokenException(FencingToken offered, FencingToken accepted, String message) {
    super(message, false);
    this.offered = offered;
    this.accepted = accepted;
  }

  /** The token the refused change carried. */
  public FencingToken offered() {
    return offered;
  }

  /** The newest token the receiver had accepted (for {@link FencingRejectedException}: the expected one). */
  public FencingToken accepted() {
    return accepted;
  }
}
