package io.pharos.controller.raft;

import org.apache.ratis.server.RaftServer;

/**
 * Whether this controller's state has been current since it started: it has known a leader and
 * applied everything it knew to be committed. Until then its embedded DNS server answers SERVFAIL
 * rather than old answers (for example while replaying its journal after a restart). Once caught
 * up it stays so: a controller that later loses the majority keeps serving the last committed
 * state (fail-static) rather than failing every resolver.
 */
final class CatchUp {
  private volatile boolean caughtUp;

  boolean caughtUp(RaftServer.Division division, boolean leaderKnown) {
    if (caughtUp) {
      return true;
    }
    if (division == null || !leaderKnown) {
      return false;
    }
    caughtUp = division.getInfo().getLastAppliedIndex() >= division.getRaftLog().getLastCommittedIndex();
    return caughtUp;
  }
}
