package io.pharos.core.journal;

/**
 * An operator acknowledged a stop (e.g. the automatic-failover limit), re-enabling automation.
 *
 * @param what what was acknowledged ({@code failover-limit})
 * @param by who
 */
public record Acknowledged(String what, String by, long proposerTerm, long at, String controller)
    implements JournalEntry {}
