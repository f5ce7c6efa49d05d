package io.pharos.core.journal;

/**
 * An operator approved a waiting decision. The decision engine then proposes it (as an operator
 * decision, under the same id), so a leader change between the approval and the intent loses
 * nothing.
 *
 * @param decisionId the waiting decision
 * @param by who approved (the caller's identity)
 * @param reason why
 */
public record ApprovalGranted(String decisionId, String by, String reason, long proposerTerm, long at,
    String controller) implements JournalEntry {}
