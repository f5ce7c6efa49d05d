package io.pharos.core.journal;

/** The intent's read-only modes were published to the regions (with its token). */
public record Fenced(String decisionId, long proposerTerm, long at, String controller) implements JournalEntry {}
