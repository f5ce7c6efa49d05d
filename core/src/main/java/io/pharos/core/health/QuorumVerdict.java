package io.pharos.core.health;

import java.util.List;

/**
 * How the vantages see one region, and what that evidence is worth (docs/safety.md, "The decision
 * rule").
 *
 * @param region the observed region
 * @param voters configured regions other than {@code region}
 * @param needed votes for a majority of {@code voters}
 * @param failingVoters other vantages that see it failing (isolated vantages excluded)
 * @param servingVoters other vantages that see it up or degraded
 * @param degradedVoters other vantages that see it degraded
 * @param silentVoters other vantages whose agents are silent
 * @param isolatedVoters other vantages that are cut off (they see every other region failing and
 *     the others cannot reach them): their votes are dropped
 * @param ownSilent whether the region's own agents are all silent
 * @param firstFailureAt earliest agent-clock time of a failing probe among the failing voters, or 0
 * @param wobblingVoters vantages (not isolated) whose latest probe of it failed, confirmed or not
 * @param lastFailureAt controller clock of the latest failed probe from a voting vantage, or 0
 * @param own what the region's own agents see of it
 * @param evidence whether the failing votes are enough to act on
 * @param unknownVoters other vantages that are heard but give no verdict ({@link Verdict#NO_DATA}:
 *     their agents split evenly, or have no fresh results): like a silent one, such a vantage
 *     cannot vote, so it never counts as seeing the region serving
 */
public record QuorumVerdict(
    String region,
    int voters,
    int needed,
    List<String> failingVoters,
    List<String> servingVoters,
    List<String> degradedVoters,
    List<String> silentVoters,
    List<String> isolatedVoters,
    boolean ownSilent,
    long firstFailureAt,
    List<String> wobblingVoters,
    long lastFailureAt,
    Verdict own,
    Evidence evidence,
    List<String> unknownVoters) {

  /** What the failing votes about a region are worth. */
  public enum Evidence {
    /** Nobody, or too few to matter, sees it failing. */
    NONE,
    /** A majority of the other regions sees it failing: act. */
    CLEAR,
    /**
     * One other vantage cannot vote (silent or cut off) and the region's own agents see it failing
     * too: their vote stands in for the missing one. It confirms, it never triggers alone: at least
     * one other region must see the region failing.
     */
    CONFIRMED_BY_OWN,
    /**
     * One vote short of {@link #CLEAR} (or {@link #CONFIRMED_BY_OWN}) because vantages cannot vote,
     * not because they see it serving: {@code policy.shortEvidence} decides (wait for an operator's
     * approval, or alert only).
     */
    SHORT
  }

  public QuorumVerdict {
    failingVoters = List.copyOf(failingVoters);
    servingVoters = List.copyOf(servingVoters);
    degradedVoters = List.copyOf(degradedVoters);
    silentVoters = List.copyOf(silentVoters);
    isolatedVoters = List.copyOf(isolatedVoters);
    wobblingVoters = List.copyOf(wobblingVoters);
    unknownVoters = unknownVoters == null ? List.of() : List.copyOf(unknownVoters);
  }

  /** A verdict in which every heard vantage gave one (no {@link #unknownVoters}). */
  public QuorumVerdict(String region, int voters, int needed, List<String> failingVoters, List<String> servingVoters,
      List<String> degradedVoters, List<String> silentVoters, List<String> isolatedVoters, boolean ownSilent,
      long firstFailureAt, List<String> wobblingVoters, long lastFailureAt, Verdict own, Evidence evidence) {
    this(region, voters, needed, failingVoters, servingVoters, degradedVoters, silentVoters, isolatedVoters,
        ownSilent, firstFailureAt, wobblingVoters, lastFailureAt, own, evidence, List.of());
  }

  /** Enough evidence to act on: a majority of the other regions, or one short of it confirmed by its own agents. */
  public boolean quorumFailing() {
    return evidence == Evidence.CLEAR || evidence == Evidence.CONFIRMED_BY_OWN;
  }

  /** One vote short of acting because vantages cannot vote. */
  public boolean shortEvidence() {
    return evidence == Evidence.SHORT;
  }

  /** A majority of the other regions sees it serving. */
  public boolean quorumServing() {
    return servingVoters.size() >= needed;
  }

  /** Other vantages that cannot vote: silent, cut off, or without a verdict. */
  public int unheard() {
    return silentVoters.size() + isolatedVoters.size() + unknownVoters.size();
  }

  /**
   * Whether enough vantages are heard that a decision could be reached at all: the other regions
   * that can vote, plus the region's own agents standing in for one that cannot. A vantage that is
   * heard without a verdict yet (its agents just started, or split) is not counted against it:
   * it reports, and will have a verdict with its next results.
   */
  public boolean quorumPossible() {
    int heard = voters - silentVoters.size() - isolatedVoters.size();
    int standIn = silentVoters.size() + isolatedVoters.size() > 0 && !ownSilent ? 1 : 0;
    return heard + standIn >= needed;
  }
}
