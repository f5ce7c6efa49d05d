package io.pharos.controller.act;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.wire.ModeCodec;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every region's decided mode, with the token of the decision that set it, to the
 * cluster's mode map that agents listen to. The map's entry processor refuses a record older than
 * the one stored, so a deposed leader cannot undo a newer decision. Blocking: call it off the
 * event loop. Each write is bounded in time.
 */
public final class ModePublisher {
  private final IMap<String, String> modes;
  private final long leaseMillis;
  private final Duration writeTimeout;

  public ModePublisher(HazelcastInstance hz, long leaseMillis, Duration writeTimeout) {
    this.modes = hz.getMap(ClusterNames.MODES);
    this.leaseMillis = leaseMillis;
    this.writeTimeout = writeTimeout;
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
      String stored = write(e.getKey(), record);
      FencingToken storedToken = ModeCodec.decode(stored).token();
      if (storedToken.isNewerThan(m.token())) {
        throw new StaleLeaderException("mode of " + e.getKey() + " holds token " + storedToken
            + ", newer than this controller's " + m.token());
      }
    }
  }

  /**
   * One bounded write: a data plane that does not answer (a wedged member owns the key's partition)
   * fails this attempt instead of holding the reconciler, which retries, and aborts the intent
   * after its deadline; the watchdog restarts the wedged member meanwhile.
   */
  private String write(String region, ModeRecord record) {
    try {
      return modes.submitToKey(region, new ModeUpdate(record)).toCompletableFuture()
          .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SplitBrainProtectionException) {
        throw new StaleLeaderException("the mode map refused the write: this controller's side of the Hazelcast"
            + " cluster has fewer than a majority of the controllers");
      }
      throw new DataPlaneException("writing the mode of " + region + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new DataPlaneException("the mode map did not answer a write for " + region + " within "
          + writeTimeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataPlaneException("interrupted writing the mode of " + region, e);
    }
  }

  /** The record stored for a region, if any. */
  public ModeRecord read(String region) {
    String s = modes.get(region);
    return s == null ? null : ModeCodec.decode(s);
  }

  /** The mode map failed or did not answer in time; the write may or may not have landed. */
  public static final class DataPlaneException extends RuntimeException {
    public DataPlaneException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A newer leader has acted; this controller's view is stale. */
  public static final class StaleLeaderException extends RuntimeException {
    public StaleLeaderException(String message) {
      super(message);
    }
  }
}
