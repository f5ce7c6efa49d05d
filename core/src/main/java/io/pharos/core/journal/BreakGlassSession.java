package io.pharos.core.journal;

/** An admin session a recovery code granted, known to every controller once journaled. */
public record BreakGlassSession(String codeId, long expiresAt, String usedOn) {}
