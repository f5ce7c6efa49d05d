package io.pharos.core.journal;

/** An announced maintenance window was called off (it stays in the history, marked cancelled). */
public record MaintenanceCancelled(String id, String by, String reason, long proposerTerm, long at, String controller)
    implements JournalEntry {}
