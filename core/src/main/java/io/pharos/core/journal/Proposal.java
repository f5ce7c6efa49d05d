package io.pharos.core.journal;

/**
 * The outcome of proposing a journal entry: committed at (term, index) and accepted or refused by
 * the state machine (with the reason in {@code detail}).
 */
public record Proposal(boolean accepted, String detail, long term, long index) {
  /** What the proposer of {@code applied} is told. */
  public static Proposal of(AppliedEntry applied) {
    return new Proposal(applied.result().accepted(), applied.result().detail(), applied.term(), applied.index());
  }
}
