package io.pharos.core.journal;

/**
 * The leader withdrew a waiting (or approved, not yet executed) decision: its evidence went away,
 * or it can no longer be carried out.
 *
 * @param decisionId the decision
 * @param why why
 */
public record ApprovalWithdrawn(String decisionId, String why, long proposerTerm, long at, String controller)
    implements JournalEntry {}
