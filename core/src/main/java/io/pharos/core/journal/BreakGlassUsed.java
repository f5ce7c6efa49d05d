package io.pharos.core.journal;

/**
 * A one-time recovery code was used on controller {@code usedOn}: from now on every controller
 * refuses the code, and accepts the admin session it granted until {@code expiresAt}. The code
 * and its hash never enter the journal; only its id and the session's SHA-256 do.
 *
 * @param codeId the code's public id (the part before the first '-')
 * @param sessionHash SHA-256 (hex) of the session token the code was exchanged for
 * @param expiresAt epoch millis the session ends (the using controller's clock)
 * @param reason why the operator broke the glass
 * @param usedAt epoch millis of the use, on {@code usedOn}'s clock (the entry may commit much later)
 */
public record BreakGlassUsed(String codeId, String sessionHash, long expiresAt, String reason, String usedOn,
    long usedAt, long proposerTerm, long at, String controller) implements JournalEntry {}
