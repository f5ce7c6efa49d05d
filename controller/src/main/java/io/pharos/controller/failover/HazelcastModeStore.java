package io.pharos.controller.failover;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.wire.ModeCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The mode store agents listen to: the cluster's mode map. Its entry processor ({@link
 * ModeUpdate}) refuses a record older than the one stored, on the member that owns it, so a
 * deposed leader's late write is refused by the map itself; a side of the cluster without a
 * majority of the controllers cannot write at all (split-brain protection).
 */
public final class HazelcastModeStore implements ModeStore {
  /** Longer than a write waiting out a frozen member (its backup ack, then its removal after 5 s). */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final IMap<String, String> modes;
  private final long leaseMillis;
  private final Duration writeTimeout;

  public HazelcastModeStore(HazelcastInstance hz, long leaseMillis) {
    this.modes = hz.getMap(ClusterNames.MODES);
    this.leaseMillis = leaseMillis;
    this.writeTimeout = WRITE_TIMEOUT;
  }

  @Override
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
   * fails this attempt instead of holding the executor, which retries, and aborts the intent after
   * its deadline; the watchdog restarts the wedged member meanwhile.
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
}
