package io.pharos.core.journal;

/**
 * An operator made {@code region} the write primary ({@code pharos promote}): from this entry on it
 * overrides the config's {@code policy.writePrimary}, the region is read-write with this entry's
 * token and the previous primary, if another region, read-only (never two writers). Refused while
 * the region is failed over or a decision is in progress.
 *
 * @param region the new write primary
 * @param previous the write primary before it, or null when there was none
 * @param lagSeconds the replication lag read before promoting, or a negative number when it was not
 *     read (forced without a source, or the source failed)
 * @param forced whether the operator overrode the RPO check
 * @param by who asked
 * @param reason why
 */
public record WritePrimaryPromoted(String region, String previous, double lagSeconds, boolean forced, String by,
    String reason, long proposerTerm, long at, String controller) implements JournalEntry {}
