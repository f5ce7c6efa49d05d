package io.pharos.core.journal;

/**
 * A committed journal entry this replica cannot apply: it cannot read it (malformed, or of a newer
 * format) or applying it threw. The replica must stop for good rather than skip it: skipping
 * would leave its state (modes, zone, intents) different from the other replicas' for ever. A
 * refusal the state makes by its rules (stale term, a decision already in progress) is not this:
 * every replica refuses alike, and that entry is applied as "refused".
 */
public final class UnappliableEntryException extends RuntimeException {
  private final long term;
  private final long index;

  public UnappliableEntryException(long term, long index, String reason, Throwable cause) {
    super("cannot apply the committed journal entry at " + term + ":" + index + ": " + reason, cause);
    this.term = term;
    this.index = index;
  }

  public long term() {
    return term;
  }

  public long index() {
    return index;
  }
}
