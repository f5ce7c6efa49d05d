package io.pharos.core.journal;

/**
 * One link of the audit chain: an operator call with its sequence number and the hash of the
 * record before it ({@code prev}); {@code hash} covers every other field ({@link AuditChain#hash}).
 *
 * @param term the Raft term the call was answered in
 * @param controller the controller that answered it (the acting leader)
 */
public record AuditRecord(long seq, long at, String who, String role, String what, String why, String result,
    long term, String controller, String prev, String hash) {}
