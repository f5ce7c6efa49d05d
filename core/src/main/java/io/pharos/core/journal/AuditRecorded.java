package io.pharos.core.journal;

/**
 * An authenticated operator call the acting leader answered, for the audit chain: the state
 * machine gives it the next sequence number and chains its hash to the one before.
 *
 * @param who the token's name (or {@code breakglass:<code id>})
 * @param role the role the call was allowed under
 * @param what method and path, e.g. {@code POST /v1/regions/b/failover}
 * @param why the reason the caller gave
 * @param result what came of it: {@code committed <term>:<index>}, {@code refused: ...}, {@code failed: ...}
 */
public record AuditRecorded(String who, String role, String what, String why, String result, long proposerTerm,
    long at, String controller) implements JournalEntry {}
