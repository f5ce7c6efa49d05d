package io.pharos.core.decision;

import io.pharos.core.journal.ApprovalRequested;
import io.pharos.core.journal.ApprovalWithdrawn;
import io.pharos.core.journal.JournalEntry;

/**
 * What the leader records about decisions that wait for an operator, as the engine found it on one
 * step: a new one to wait, or one to withdraw.
 */
public sealed interface ApprovalAction {
  /** The journal entry that records it, proposed by the leader in {@code term}. */
  JournalEntry toEntry(long term, long at, String controller);

  /**
   * A decision that waits for an operator instead of being executed.
   *
   * @param decision what would be done, and the evidence
   * @param why why it waits
   */
  record Request(Decision decision, String why) implements ApprovalAction {
    @Override
    public ApprovalRequested toEntry(long term, long at, String controller) {
      return new ApprovalRequested(decision.decisionId(), decision.kind(), decision.regions(), decision.code().label(),
          decision.reason(), why, decision.detectedAt(), decision.firstFailureAt(), term, at, controller);
    }
  }

  /**
   * A waiting (or approved, not yet executed) decision whose evidence went away.
   *
   * @param decisionId the decision
   * @param why why it is withdrawn
   */
  record Withdraw(String decisionId, String why) implements ApprovalAction {
    @Override
    public ApprovalWithdrawn toEntry(long term, long at, String controller) {
      return new ApprovalWithdrawn(decisionId, why, term, at, controller);
    }
  }
}
