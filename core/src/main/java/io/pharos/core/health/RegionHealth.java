package io.pharos.core.health;

import java.util.ArrayList;
import java.util.List;

/**
 * HEALTHY → SUSPECT → DOWN → RECOVERING → HEALTHY for one region, driven by the vantage quorum
 * and the controller's clock (passed in, never read).
 *
 * <ul>
 *   <li>HEALTHY → SUSPECT: some other vantage sees the region failing.
 *   <li>SUSPECT → DOWN: a majority of the other vantages sees it failing.
 *   <li>SUSPECT → HEALTHY: no vantage sees it failing any more.
 *   <li>DOWN → RECOVERING: a majority sees it serving again.
 *   <li>RECOVERING → DOWN: a majority sees it failing again.
 *   <li>RECOVERING → HEALTHY: a majority has seen it serving, without a failing vote or even a
 *       single failed probe from a voter, for the stabilisation window.
 * </ul>
 */
public final class RegionHealth {
  private final String region;
  private final long recoverAfterMs;
  private RegionState state = RegionState.HEALTHY;
  private long since;
  private long stableSince = -1;
  private long lastUnstableAt;

  public RegionHealth(String region, long recoverAfterMs, long now) {
    this.region = region;
    this.recoverAfterMs = recoverAfterMs;
    this.since = now;
    this.lastUnstableAt = now;
  }

  public String region() {
    return region;
  }

  public RegionState state() {
    return state;
  }

  /** Controller time of the last transition. */
  public long since() {
    return since;
  }

  /**
   * How long the region has been HEALTHY without a single failed probe from a voting vantage.
   * Failback is gated on this, right up to the moment it happens.
   */
  public long stableFor(long now) {
    return state == RegionState.HEALTHY ? now - lastUnstableAt : 0;
  }

  /** Feeds the current verdict; returns the transitions taken, in order (often none). */
  public List<RegionTransition> update(QuorumVerdict v, long now) {
    List<RegionTransition> taken = new ArrayList<>(2);
    // silence is not stability: without a majority seeing it serving, the window does not run
    boolean unstable = state == RegionState.DOWN || state == RegionState.SUSPECT || !v.quorumServing()
        || !v.failingVoters().isEmpty() || !v.wobblingVoters().isEmpty();
    if (unstable) {
      lastUnstableAt = now;
    }
    lastUnstableAt = Math.max(lastUnstableAt, v.lastFailureAt());
    switch (state) {
      case HEALTHY -> {
        if (!v.failingVoters().isEmpty()) {
          move(RegionState.SUSPECT, now, taken);
          if (v.quorumFailing()) {
            move(RegionState.DOWN, now, taken);
          }
        }
      }
      case SUSPECT -> {
        if (v.quorumFailing()) {
          move(RegionState.DOWN, now, taken);
        } else if (v.failingVoters().isEmpty()) {
          move(RegionState.HEALTHY, now, taken);
        }
      }
      case DOWN -> {
        if (v.quorumServing()) {
          move(RegionState.RECOVERING, now, taken);
          stableSince = now;
        }
      }
      case RECOVERING -> {
        if (v.quorumFailing()) {
          move(RegionState.DOWN, now, taken);
        } else if (!v.quorumServing() || !v.failingVoters().isEmpty() || !v.wobblingVoters().isEmpty()) {
          // any failed probe from a voter restarts the stabilisation window
          stableSince = -1;
        } else {
          if (stableSince < 0) {
            stableSince = now;
          }
          stableSince = Math.max(stableSince, v.lastFailureAt());
          if (now - stableSince >= recoverAfterMs) {
            move(RegionState.HEALTHY, now, taken);
          }
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
    return taken;
  }

  private void move(RegionState to, long now, List<RegionTransition> taken) {
    taken.add(RegionTransition.between(state, to));
    state = to;
    since = now;
    if (to != RegionState.RECOVERING) {
      stableSince = -1;
    }
  }
}
