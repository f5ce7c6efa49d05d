package io.pharos.controller.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The data-plane watchdog's probe: a write to a key of a partition this member owns, so only this
 * member has to answer it (no backups: see {@link HazelcastMembership}). A member that owns no
 * partition yet (just joined) has nothing of its own to wedge: the probe answers at once.
 */
public final class LocalPartitionProbe implements Supplier<CompletionStage<?>> {
  /** Candidate keys tried to find one on a local partition; with 31 partitions a few suffice. */
  private static final int CANDIDATES = 2_000;

  private final HazelcastInstance hz;
  private final IMap<String, Long> map;
  private String key;

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
    String k = localKey(local);
    if (k == null) {
      return CompletableFuture.completedFuture(null);
    }
    return map.setAsync(k, System.currentTimeMillis());
  }

  private String localKey(Member local) {
    if (key != null && ownedHere(key, local)) {
      return key;
    }
    key = null;
    for (int i = 0; i < CANDIDATES && key == null; i++) {
      String candidate = "probe-" + local.getUuid() + "-" + i;
      if (ownedHere(candidate, local)) {
        key = candidate;
      }
    }
    return key;
  }

  private boolean ownedHere(String k, Member local) {
    Partition p = hz.getPartitionService().getPartition(k);
    return local.equals(p.getOwner());
  }
}
