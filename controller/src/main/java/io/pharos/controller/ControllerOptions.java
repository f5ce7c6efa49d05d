package io.pharos.controller;

import java.nio.file.Path;

/**
 * What differs between the controllers of one config.
 *
 * @param id this controller's peer id in {@code controllers.peers}
 * @param dataDir directory for the Raft log and snapshots (a sub-directory per controller id)
 * @param adminToken bearer token operator calls must carry; null disables them
 * @param join start as a new, empty member that the leader will add (controller replacement)
 * @param actionLog file recording every external action (for audits and crash tests), or null
 */
public record ControllerOptions(String id, Path dataDir, String adminToken, boolean join, Path actionLog) {
  public ControllerOptions(String id, Path dataDir) {
    this(id, dataDir, null, false, null);
  }

  public ControllerOptions(String id, Path dataDir, String adminToken) {
    this(id, dataDir, adminToken, false, null);
  }

  public ControllerOptions(String id, Path dataDir, String adminToken, boolean join) {
    this(id, dataDir, adminToken, join, null);
  }

  @Override
  public String toString() {
    return "ControllerOptions[id=" + id + ", dataDir=" + dataDir + ", adminToken=" + (adminToken == null ? "none"
        : "<redacted>") + ", join=" + join + ", actionLog=" + actionLog + "]";
  }
}
