package io.pharos.core.health;

import java.util.List;

/**
 * How the other regions' vantages see one region.
 *
 * @param region the observed region
 * @param voters configured regions other than {@code region}
 * @param needed votes for a majority of {@code voters}
 * @param failingVoters vantages that see it failing (isolated vantages excluded)
 * @param servingVoters vantages that see it up or degraded
 * @param degradedVoters vantages that see it degraded
 * @param silentVoters vantages whose agents are silent
 * @param isolatedVoters vantages that see every other region failing: their votes are dropped
 * @param ownSilent whether the region's own agents are all silent
 * @param firstFailureAt earliest agent-clock time of a failing probe among the failing voters, or 0
 * @param wobblingVoters vantages (not isolated) whose latest probe of it failed, confirmed or not
 * @param lastFailureAt controller clock of the latest failed probe from a voting vantage, or 0
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
    long lastFailureAt) {

  public QuorumVerdict {
    failingVoters = List.copyOf(failingVoters);
    servingVoters = List.copyOf(servingVoters);
    degradedVoters = List.copyOf(degradedVoters);
    silentVoters = List.copyOf(silentVoters);
    isolatedVoters = List.copyOf(isolatedVoters);
    wobblingVoters = List.copyOf(wobblingVoters);
  }

  /** A majority of the other regions sees it failing. */
  public boolean quorumFailing() {
    return failingVoters.size() >= needed;
  }

  /** A majority of the other regions sees it serving. */
  public boolean quorumServing() {
    return servingVoters.size() >= needed;
  }

  /** Whether enough vantages are heard (and not isolated) that a majority could be formed at all. */
  public boolean quorumPossible() {
    return voters - silentVoters.size() - isolatedVoters.size() >= needed;
  }
}
