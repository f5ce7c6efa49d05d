package io.pharos.controller;

import java.nio.file.Path;

/**
 * What differs between the controllers of one config.
 *
 * @param id this controller's peer id in {@code controllers.peers}
 * @param dataDir directory for the Raft log and snapshots (a sub-directory per controller id)
 */
public record ControllerOptions(String id, Path dataDir) {}
