package io.pharos.controller;

import java.nio.file.Path;

/**
 * What differs between the controllers of one config.
 *
 * @param id this controller's peer id in {@code controllers.peers}
 * @param dataDir directory for the Raft log and snapshots (a sub-directory per controller id)
 * @param adminToken bearer token operator calls must carry; null disables them
 */
public record ControllerOptions(String id, Path dataDir, String adminToken) {
  public ControllerOptions(String id, Path dataDir) {
    this(id, dataDir, null);
  }

  @Override
  public String toString() {
    return "ControllerOptions[id=" + id + ", dataDir=" + dataDir + ", adminToken=" + (adminToken == null ? "none"
        : "<redacted>") + "]";
  }
}
