package io.pharos.core.journal;

/**
 * An operator aborted a running evacuation: the decision engine restores the weights from before
 * it (one intent) and the evacuation ends.
 */
public record EvacuationAborted(String evacuationId, String by, String reason, long proposerTerm, long at,
    String controller)
    implements JournalEntry {}
