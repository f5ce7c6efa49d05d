package io.pharos.controller.ingest;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import io.pharos.core.journal.RegionKeyRotated;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Rotates one region's report key: the acting leader journals {@link RegionKeyRotated} with the
 * next generation and the end of the previous generation's grace (now plus
 * {@code security.previousKeyGrace}, or the grace asked for; zero ends it at once, after a leak).
 * From that entry on every controller accepts the new generation; agents get it from
 * {@code pharos keys derive --region R --generation N}. Other regions are untouched.
 */
public final class KeyRotations {
  /** A grace longer than this is refused: a rotation that keeps the old key for months is not one. */
  static final Duration MAX_GRACE = Duration.ofDays(30);

  private final PharosConfig config;
  private final String controllerId;
  private final Clock clock;
  private final Journal journal;

  public KeyRotations(PharosConfig config, String controllerId, Clock clock, Journal journal) {
    this.config = config;
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
  }

  /** What a rotation will write (for the answer to the caller). */
  public record Planned(String region, int generation, long previousValidUntil) {}

  /**
   * @param grace how long the previous generation stays accepted, or null for the configured grace
   * @throws IllegalArgumentException for an unknown region or a grace out of range
   * @throws NotLeaderException when this controller is not the acting leader
   */
  public Planned plan(String region, Duration grace) {
    if (config.region(region).isEmpty()) {
      throw new IllegalArgumentException("region '" + region + "' is not configured (configured: "
          + config.regionNames() + ")");
    }
    Duration g = grace == null ? config.security().previousKeyGrace() : grace;
    if (g.isNegative() || g.compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException("grace must be between 0s and " + MAX_GRACE.toDays() + "d, was " + g);
    }
    if (!journal.isActingLeader()) {
      throw new NotLeaderException("controller " + controllerId + " is not the acting leader (leader: "
          + journal.leaderId().orElse("none") + ")");
    }
    return new Planned(region, journal.state().regionKey(region).generation() + 1, clock.millis() + g.toMillis());
  }

  /** Proposes the rotation {@link #plan} describes. */
  public CompletableFuture<Proposal> rotate(Planned p, String by, String reason) {
    long now = clock.millis();
    return journal.propose(new RegionKeyRotated(p.region(), p.generation(), Math.max(now, p.previousValidUntil()), by,
        reason, journal.term(), now, controllerId));
  }
}
