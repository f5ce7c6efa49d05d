package io.pharos.core.journal;

/**
 * The intent is finished: verified live, or aborted with a reason.
 *
 * @param verifiedAt proposer clock when the change was verified live, or 0 when aborted
 * @param aborted whether it was given up
 * @param detail outcome, for people
 */
public record Completed(
    String decisionId, long verifiedAt, boolean aborted, String detail, long proposerTerm, long at, String controller)
    implements JournalEntry {}
