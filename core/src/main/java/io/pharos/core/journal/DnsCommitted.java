package io.pharos.core.journal;

import java.util.Map;

/**
 * The DNS provider accepted the intent's weights (for the embedded provider, this entry is the
 * change: every controller serves the zone from the journal).
 *
 * @param provider provider name
 * @param weights weights now live at the provider
 * @param changeId provider's change id, or null
 */
public record DnsCommitted(
    String decisionId, String provider, Map<String, Map<String, Integer>> weights, String changeId,
    long proposerTerm, long at, String controller)
    implements JournalEntry {}
