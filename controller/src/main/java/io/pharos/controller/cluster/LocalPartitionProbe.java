package io.pharos.controller.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The data-plane watchdog's probe: a write to a key of a partition this member owns, so only this
 * member has to answer it (no backups: see {@link HazelcastMembership}). A member that owns no
 * partition yet (just joined) has nothing of its own to wedge: the probe answers at once.
 *
 * <p>Every probe writes a new random key. A client of the data plane can lock any key it can name,
 * and a write to a locked key waits for the lock: with predictable keys (they were once
 * {@code probe-<member uuid>-<n>}) a client locked them and every controller declared itself wedged
 * and exited after 30 s. A key that does not exist until the probe writes it cannot be locked
 * ahead, and is never written again.
 */
public final class LocalPartitionProbe implements Supplier<CompletionStage<?>> {
  /** Candidate keys tried to find one on a local partition; with 31 partitions a few suffice. */
  private static final int CANDIDATES = 2_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HazelcastInstance hz;
  private final IMap<String, Long> map;
  private volatile String lastKey;

  public LocalPartitionProbe(HazelcastInstance hz) {
    this.hz = hz;
    this.map = hz.getMap(ClusterNames.WATCHDOG);
  }

  @Override
  public CompletionStage<?> get() {
    if (!hz.getLifecycleService().isRunning()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the Hazelcast member is not running"));
    }
    Member local = hz.getCluster().getLocalMember();
    String k = newLocalKey(local);
    if (k == null) {
      return CompletableFuture.completedFuture(null);
    }
    lastKey = k;
    return map.setAsync(k, System.currentTimeMillis());
  }

  /** The key the last probe wrote (tests). */
  String lastKey() {
    return lastKey;
  }

  private String newLocalKey(Member local) {
    byte[] b = new byte[16];
    for (int i = 0; i < CANDIDATES; i++) {
      RANDOM.nextBytes(b);
      String candidate = "probe-" + HexFormat.of().formatHex(b);
      if (local.equals(hz.getPartitionService().getPartition(candidate).getOwner())) {
        return candidate;
      }
    }
    return null;
  }
}
