package io.pharos.controller;

import java.nio.file.Path;

/**
 * What differs between the controllers of one config. (API tokens are no longer an option: they
 * live in the tokens file the config names, {@code api.tokensFile}.)
 *
 * @param id this controller's peer id in {@code controllers.peers}
 * @param dataDir directory for the Raft log and snapshots (a sub-directory per controller id)
 * @param join start as a new, empty member that the leader will add (controller replacement)
 * @param actionLog file recording every external action (for audits and crash tests), or null
 * @param bindHost the address Raft, Hazelcast and the API bind (e.g. 0.0.0.0 in a container), while the
 *     other controllers and agents reach this one at its configured addresses; null: bind those
 */
public record ControllerOptions(String id, Path dataDir, boolean join, Path actionLog, String bindHost) {
  public ControllerOptions(String id, Path dataDir, boolean join, Path actionLog) {
    this(id, dataDir, join, actionLog, null);
  }

  public ControllerOptions(String id, Path dataDir) {
    this(id, dataDir, false, null);
  }

  public ControllerOptions(String id, Path dataDir, boolean join) {
    this(id, dataDir, join, null);
  }
}
