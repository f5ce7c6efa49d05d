package io.pharos.testkit.attack;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Locks keys of the controllers' maps the way an outsider on the data plane can (issue 14:
 * {@code IMap.lock} on the mode keys or the watchdog's keys made every controller halt with 71
 * after 30 s). A lock belongs to this client until it unlocks or leaves; every write to a locked
 * key waits for it. Bounded: at most {@link #MAX_KEYS} keys, each tried for at most 100 ms.
 */
public final class KeyLocker implements AutoCloseable {
  public static final int MAX_KEYS = 1_000;
  private final Outsider outsider;
  private final List<String> locked = new ArrayList<>();

  public KeyLocker(Outsider outsider) {
    this.outsider = outsider;
  }

  /** Locks {@code keys} of map {@code mapName} (keys that do not exist yet can be locked too). */
  public synchronized KeyLocker lock(String mapName, Collection<String> keys) {
    IMap<Object, Object> map = outsider.client().getMap(mapName);
    for (String k : keys) {
      if (locked.size() >= MAX_KEYS) {
        break;
      }
      try {
        if (map.tryLock(k, 100, TimeUnit.MILLISECONDS)) {
          locked.add(mapName + "/" + k);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return this;
      }
    }
    return this;
  }

  /** Locks the regions' keys of the mode mailbox map. */
  public KeyLocker lockModeKeys(Collection<String> regions) {
    return lock(ModeRecordForger.MAILBOX, regions);
  }

  /**
   * Locks every key this client can see in every map it can see (the watchdog's probe keys among
   * them): what an outsider does without knowing any key in advance.
   */
  public KeyLocker lockEveryVisibleKey() {
    for (DistributedObject o : outsider.client().getDistributedObjects()) {
      if (o instanceof IMap<?, ?> m) {
        List<String> keys = new ArrayList<>();
        m.keySet().forEach(k -> keys.add(String.valueOf(k)));
        lock(m.getName(), keys);
      }
    }
    return this;
  }

  /** The keys held, as {@code map/key}. */
  public synchronized List<String> locked() {
    return List.copyOf(locked);
  }

  /** Releases nothing itself: leaving the cluster releases the locks (close the {@link Outsider}). */
  @Override
  public void close() {
    outsider.close();
  }
}
