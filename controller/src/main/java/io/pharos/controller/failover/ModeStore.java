package io.pharos.controller.failover;

import io.pharos.core.journal.ControlState;

/**
 * Where every region's decided mode is published, with the token of the decision that set it, for
 * the agents (read-only fencing). The store keeps the highest token: a deposed leader cannot undo
 * a newer decision. The controller's store is the Hazelcast mode map ({@link HazelcastModeStore}).
 * Blocking: call it off the event loop; each write is bounded in time.
 */
public interface ModeStore {
  /**
   * Publishes (or renews) each region's mode of {@code state}.
   *
   * @throws StaleLeaderException when the store holds a newer token for some region than the
   *     state this controller acts on: a newer leader has acted, this one must stop
   * @throws DataPlaneException when the store failed or did not answer in time
   */
  void publish(ControlState state);

  /** The store failed or did not answer in time; the write may or may not have landed. */
  final class DataPlaneException extends RuntimeException {
    public DataPlaneException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A newer leader has acted; this controller's view is stale. */
  final class StaleLeaderException extends RuntimeException {
    public StaleLeaderException(String message) {
      super(message);
    }
  }
}
