package io.pharos.core.journal;

/** One committed entry as applied at its own (term, index), for listeners (the reconciler, the decision loop). */
public record AppliedEntry(JournalEntry entry, long term, long index, Applied result) {}
