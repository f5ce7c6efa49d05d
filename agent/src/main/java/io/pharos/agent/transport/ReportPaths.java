package io.pharos.agent.transport;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.pharos.core.wire.ReportTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Picks the two report topics an agent publishes each frame on: topics whose partitions
 * different members own, so that one cut-off or frozen member holds back at most one copy
 * (docs/adr/0010). A client's publish goes to the member owning the topic's partition; when that
 * member stops answering, the publish waits for Hazelcast's failure detection (about 5 s). Owners
 * are read from the client's partition table on every pick (a local lookup), so the pair follows
 * membership changes and migrations by itself. A member with a publish outstanding for longer than
 * {@link #SLOW_MS}, or whose publish failed in the last {@link #PENALTY_MS}, is avoided while
 * another one can carry the copy. The pair stays the same while it is good (no churn).
 *
 * <p>Runs on the agent's context only.
 */
final class ReportPaths {
  /** A member whose publish is unanswered this long is slow (a local publish takes about 1 ms). */
  static final long SLOW_MS = 500;
  /** A member whose publish failed is avoided this long. */
  static final long PENALTY_MS = 10_000;

  /** One topic and the member that owns its partition now (null when unknown). */
  record Path(String topic, UUID owner, String ownerAddress) {}

  private final List<String> topics;
  private final Map<UUID, LinkedHashMap<Long, Long>> outstanding = new HashMap<>();
  private final Map<UUID, Long> failedAt = new HashMap<>();
  private List<Path> current = List.of();
  private long repicks;
  private long slowAvoided;

  /** @param seed spreads agents over the topics (e.g. the agent id's hash) */
  ReportPaths(int seed) {
    int start = Math.floorMod(seed, ReportTopics.COUNT);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < ReportTopics.COUNT; i++) {
      order.add(ReportTopics.ALL.get((start + i) % ReportTopics.COUNT));
    }
    this.topics = List.copyOf(order);
  }

  /** Every topic the agent may publish on, in its preference order. */
  List<String> topics() {
    return topics;
  }

  /** The two paths for the next frame (one when the client knows no owner at all). */
  List<Path> pick(HazelcastInstance hz, long now) {
    List<Path> all = new ArrayList<>(topics.size());
    for (String t : topics) {
      all.add(owned(hz, t));
    }
    List<Path> still = refreshed(all);
    if (still.size() == 2 && good(still.get(0), now) && good(still.get(1), now)
        && !Objects.equals(still.get(0).owner(), still.get(1).owner())) {
      current = still;
      return current;
    }
    Path first = first(all, p -> good(p, now));
    if (first == null) {
      first = all.get(0);
    }
    final Path one = first;
    Path second = first(all, p -> p != one && good(p, now) && p.owner() != null && !p.owner().equals(one.owner()));
    if (second == null) {
      second = first(all, p -> p != one && p.owner() != null && !p.owner().equals(one.owner()));
    }
    if (second == null) {
      second = first(all, p -> p != one);
    }
    List<Path> next = second == null ? List.of(one) : List.of(one, second);
    if (!current.isEmpty() && !topicsOf(next).equals(topicsOf(current))) {
      repicks++;
      if (current.stream().anyMatch(p -> !good(p, now))) {
        slowAvoided++;
      }
    }
    current = next;
    return current;
  }

  /** A publish on {@code path} started; returns its id for {@link #done}. */
  long started(Path path, long id, long now) {
    if (path.owner() != null) {
      outstanding.computeIfAbsent(path.owner(), k -> new LinkedHashMap<>()).put(id, now);
    }
    return id;
  }

  /** A publish on {@code path} finished (acknowledged, or failed at {@code now}). */
  void done(Path path, long id, boolean ok, long now) {
    if (path.owner() == null) {
      return;
    }
    LinkedHashMap<Long, Long> pending = outstanding.get(path.owner());
    if (pending != null) {
      pending.remove(id);
      if (pending.isEmpty()) {
        outstanding.remove(path.owner());
      }
    }
    if (ok) {
      failedAt.remove(path.owner());
    } else {
      failedAt.put(path.owner(), now);
    }
  }

  /** The pair in use, for status. */
  List<Path> current() {
    return current;
  }

  /** How often the pair changed because a path went bad or its owner changed. */
  long repicks() {
    return repicks;
  }

  /** Of those, how often a slow or failing member was left. */
  long slowAvoided() {
    return slowAvoided;
  }

  private boolean good(Path p, long now) {
    if (p.owner() == null) {
      return false;
    }
    Long failed = failedAt.get(p.owner());
    if (failed != null && now - failed < PENALTY_MS) {
      return false;
    }
    LinkedHashMap<Long, Long> pending = outstanding.get(p.owner());
    return pending == null || pending.isEmpty() || now - pending.values().iterator().next() < SLOW_MS;
  }

  /** The current pair with their owners as the partition table says now. */
  private List<Path> refreshed(List<Path> all) {
    List<Path> out = new ArrayList<>();
    for (Path c : current) {
      for (Path p : all) {
        if (p.topic().equals(c.topic())) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static Path owned(HazelcastInstance hz, String topic) {
    try {
      Partition partition = hz.getPartitionService().getPartition(topic);
      Member owner = partition == null ? null : partition.getOwner();
      return owner == null ? new Path(topic, null, "?")
          : new Path(topic, owner.getUuid(), owner.getAddress().getHost() + ":" + owner.getAddress().getPort());
    } catch (RuntimeException e) {
      // the client has no partition table yet (not connected): no owner known
      return new Path(topic, null, "?");
    }
  }

  private static Path first(List<Path> all, java.util.function.Predicate<Path> test) {
    for (Path p : all) {
      if (test.test(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<String> topicsOf(List<Path> paths) {
    return paths.stream().map(Path::topic).toList();
  }
}
