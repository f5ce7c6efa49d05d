package io.pharos.core.journal;

import java.util.Optional;

/**
 * This controller's view of who leads the journal. The leader is the one controller that acts,
 * and only while {@link #isActingLeader()}; a leader that cannot show it still holds its majority
 * stops acting at once (it never assumes it still leads).
 */
public interface Leadership {
  /** Where this controller stands in the group. */
  enum Role { LEADER, CANDIDATE, FOLLOWER, LISTENER, STOPPED }

  /**
   * Leader, ready (it has applied its own term's first entry) and holding a lease (a majority of
   * the group answered within the lease window). Cheap; checked before every external change.
   */
  boolean isActingLeader();

  /**
   * Whether this controller is with a majority of the group right now: the acting leader, or a
   * follower that heard from its leader within an election timeout. One that is not (cut off, or
   * the group below quorum) changes nothing and serves the last committed zone (fail-static).
   */
  boolean inMajority();

  /** The current term (0 before the journal runs). */
  long term();

  /** The leader this controller knows of, if any. */
  Optional<String> leaderId();

  Role role();

  /** Called when leadership changes anywhere in the group, or this controller's leadership is ready. */
  void onLeadershipChange(Runnable listener);
}
