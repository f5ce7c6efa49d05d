package io.pharos.controller.failover;

import io.pharos.core.journal.ControlState;

/**
 * Where every region's decided mode is published, signed by the controllers and with the token of
 * the decision that set it, for the agents (read-only fencing). Receivers keep the highest validly
 * signed token, so a deposed leader cannot undo a newer decision. The controller's store is the
 * Hazelcast data plane ({@link HazelcastModeStore}): a broadcast that no single member can hold up,
 * plus a mailbox map for agents that connect later.
 */
public interface ModeStore {
  /**
   * Publishes (or renews) each region's mode of {@code state}. Returns once the records are on their
   * way to the agents; it never waits for an agent, nor for a member other than this controller's own.
   *
   * @param term the Raft term this controller leads in (orders renewals across leaders)
   * @throws StaleLeaderException when this controller must not publish (its side of the data plane
   *     holds fewer than a majority of the controllers)
   * @throws DataPlaneException when the broadcast could not be sent
   */
  void publish(ControlState state, long term);

  /** The store failed or did not answer in time; the write may or may not have landed. */
  final class DataPlaneException extends RuntimeException {
    public DataPlaneException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A newer leader has acted, or this controller is on a minority side; its view is stale. */
  final class StaleLeaderException extends RuntimeException {
    public StaleLeaderException(String message) {
      super(message);
    }
  }
}
