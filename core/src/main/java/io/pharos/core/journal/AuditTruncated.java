package io.pharos.core.journal;

/**
 * Retention: the audit records before {@code seq} are dropped from the journal's state behind an
 * anchor the leader signed with the controllers' key ({@link AuditChain#anchorBytes}), so an
 * export that starts at {@code seq} still verifies and one with records cut out does not.
 *
 * @param seq the first record kept
 * @param prev the hash of the record before it (the last one dropped)
 * @param signature base64 Ed25519 signature of the anchor
 */
public record AuditTruncated(long seq, String prev, String signature, long proposerTerm, long at, String controller)
    implements JournalEntry {}
