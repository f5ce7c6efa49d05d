package io.pharos.core.journal;

/**
 * An operator rejected a waiting decision: nothing changes, and the same regions are not asked
 * about again until their state changes.
 *
 * @param decisionId the waiting decision
 * @param by who rejected it
 * @param reason why
 */
public record ApprovalRejected(String decisionId, String by, String reason, long proposerTerm, long at,
    String controller) implements JournalEntry {}
