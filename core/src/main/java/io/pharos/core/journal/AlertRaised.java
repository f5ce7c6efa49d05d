package io.pharos.core.journal;

/**
 * An analysis the leader alerted on, recorded on the shared timeline.
 *
 * @param code analysis code label
 * @param severity INFO, WARNING or CRITICAL
 * @param region region concerned, or null
 * @param message evidence
 * @param cleared true when the condition ended
 */
public record AlertRaised(
    String code, String severity, String region, String message, boolean cleared, long proposerTerm, long at,
    String controller)
    implements JournalEntry {}
