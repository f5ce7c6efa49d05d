package io.pharos.controller.raft;

import java.util.Map;

/**
 * How far this replica's journal has come, at one moment: for metrics and the status page.
 *
 * @param commitIndex the highest index this replica knows to be committed (-1 before start)
 * @param appliedIndex the highest index it has applied to its state (-1 before start)
 * @param followerLag when leading: per follower, how many entries of the leader's log it has not
 *     acknowledged yet (empty on a follower)
 */
public record RaftProgress(long commitIndex, long appliedIndex, Map<String, Long> followerLag) {
  public static final RaftProgress NONE = new RaftProgress(-1, -1, Map.of());

  public RaftProgress {
    followerLag = Map.copyOf(followerLag);
  }

  /** Committed entries this replica has not applied yet (0 when caught up or before start). */
  public long applyLag() {
    return commitIndex < 0 || appliedIndex < 0 ? 0 : Math.max(0, commitIndex - appliedIndex);
  }
}
