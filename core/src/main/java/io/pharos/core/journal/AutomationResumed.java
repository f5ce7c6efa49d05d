package io.pharos.core.journal;

/** An operator resumed automatic action. */
public record AutomationResumed(String by, long proposerTerm, long at, String controller) implements JournalEntry {}
