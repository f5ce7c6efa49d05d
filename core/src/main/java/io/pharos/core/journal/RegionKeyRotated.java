package io.pharos.core.journal;

/**
 * A region's report key moved to a new generation (an admin's {@code pharos keys rotate}). From
 * this entry on every controller accepts the new generation and, until {@code previousValidUntil},
 * the one before it; the grace thus starts at the rotation, alike on every controller and across
 * restarts. Other regions' keys are untouched.
 *
 * @param region the region whose key rotates
 * @param generation the new generation: the current one plus one
 * @param previousValidUntil proposer's clock, epoch millis: the previous generation is refused after
 *     this (the rotation time plus the grace; the rotation time itself ends the grace at once)
 * @param by who asked
 * @param reason why
 */
public record RegionKeyRotated(String region, int generation, long previousValidUntil, String by, String reason,
    long proposerTerm, long at, String controller) implements JournalEntry {}
