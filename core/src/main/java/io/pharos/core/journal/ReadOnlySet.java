package io.pharos.core.journal;

/**
 * An operator turned a region's read-only mode on or off ({@code pharos readonly on|off}). The
 * region's mode takes this entry's (term, index) as its fencing token and is published like any
 * other mode (signed records, renewed by the acting leader). Refused while the region is failed
 * over (it stays read-only until failed back) and while a decision is in progress. The leader does
 * not propose turning the write primary read-write this way: that is {@link WritePrimaryPromoted},
 * which checks the replication lag first.
 *
 * @param region the region
 * @param on true for read-only, false for read-write
 * @param by who asked
 * @param reason why
 */
public record ReadOnlySet(String region, boolean on, String by, String reason, long proposerTerm, long at,
    String controller) implements JournalEntry {}
