package io.pharos.core.journal;

/**
 * Where the kept part of the audit chain starts after older records were dropped: the first kept
 * sequence number and the hash of the record before it, signed with the controllers' Ed25519 key.
 */
public record AuditAnchor(long seq, String prev, long at, String controller, String signature) {}
