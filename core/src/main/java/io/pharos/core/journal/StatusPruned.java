package io.pharos.core.journal;

/**
 * The leader applies the status page's retention ({@code statusPage.retention}): resolved incidents
 * and maintenance windows that ended before {@code before} leave the history. Journaled, so every
 * replica drops the same ones whatever its own config says.
 */
public record StatusPruned(long before, long proposerTerm, long at, String controller) implements JournalEntry {}
