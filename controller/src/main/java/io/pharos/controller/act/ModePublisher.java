package io.pharos.controller.act;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.wire.ModeCodec;
import java.util.Map;

/**
 * Publishes every region's decided mode, with the token of the decision that set it, to the
 * cluster's mode map that agents listen to. The map's entry processor refuses a record older than
 * the one stored, so a deposed leader cannot undo a newer decision. Blocking: call it off the
 * event loop.
 */
public final class ModePublisher {
  private final IMap<String, String> modes;
  private final long leaseMillis;

  public ModePublisher(HazelcastInstance hz, long leaseMillis) {
    this.modes = hz.getMap(ClusterNames.MODES);
    this.leaseMillis = leaseMillis;
  }

  /**
   * Publishes (or renews) each region's mode.
   *
   * @throws StaleLeaderException when the map holds a newer token for some region than the state
   *     this controller acts on: a newer leader has acted, this one must stop
   */
  public void publish(ControlState state) {
    for (Map.Entry<String, RegionMode> e : state.modes().entrySet()) {
      RegionMode m = e.getValue();
      ModeRecord record = new ModeRecord(e.getKey(), m.mode(), m.token(), leaseMillis, m.reason());
      String stored;
      try {
        stored = modes.executeOnKey(e.getKey(), new ModeUpdate(record));
      } catch (com.hazelcast.splitbrainprotection.SplitBrainProtectionException sbp) {
        throw new StaleLeaderException("the mode map refused the write: this controller's side of the Hazelcast"
            + " cluster has fewer than a majority of the controllers");
      }
      FencingToken storedToken = ModeCodec.decode(stored).token();
      if (storedToken.isNewerThan(m.token())) {
        throw new StaleLeaderException("mode of " + e.getKey() + " holds token " + storedToken
            + ", newer than this controller's " + m.token());
      }
    }
  }

  /** The record stored for a region, if any. */
  public ModeRecord read(String region) {
    String s = modes.get(region);
    return s == null ? null : ModeCodec.decode(s);
  }

  /** A newer leader has acted; this controller's view is stale. */
  public static final class StaleLeaderException extends RuntimeException {
    public StaleLeaderException(String message) {
      super(message);
    }
  }
}
