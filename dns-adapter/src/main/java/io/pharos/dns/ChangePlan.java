package io.pharos.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The weights a change will touch, and nothing else. A minimal plan keeps provider calls small
 * (Route 53 batches, RFC 2136 updates) and makes the audit log say exactly what moved.
 *
 * @param changes sorted by record, then region; at most one change per record and region
 */
public record ChangePlan(List<RecordChange> changes) {
  private static final Comparator<RecordChange> ORDER =
      Comparator.comparing(RecordChange::record).thenComparing(RecordChange::region);

  public ChangePlan {
    List<RecordChange> sorted = new ArrayList<>(changes);
    sorted.sort(ORDER);
    Set<String> seen = new HashSet<>();
    for (RecordChange c : sorted) {
      if (!seen.add(c.record() + " " + c.region())) {
        throw new IllegalArgumentException("the plan changes " + c.record() + " " + c.region() + " twice");
      }
    }
    changes = List.copyOf(sorted);
  }

  public static ChangePlan empty() {
    return new ChangePlan(List.of());
  }

  /**
   * Every record and region in {@code desired} whose weight differs from {@code actual}; what
   * {@code desired} does not mention is left alone. Missing weights in {@code actual} count as 0.
   */
  public static ChangePlan between(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    List<RecordChange> changes = new ArrayList<>();
    new TreeMap<>(desired).forEach((record, regions) -> new TreeMap<>(regions).forEach((region, to) -> {
      int from = actual.weight(record, region);
      if (from != to) {
        changes.add(new RecordChange(record, region, from, to));
      }
    }));
    return new ChangePlan(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The weights {@code actual} would have with this plan applied. */
  public Map<String, Map<String, Integer>> weightsAfter(ZoneSnapshot actual) {
    Map<String, Map<String, Integer>> after = new TreeMap<>();
    actual.weights().forEach((record, regions) -> after.put(record, new TreeMap<>(regions)));
    for (RecordChange c : changes) {
      after.computeIfAbsent(c.record(), r -> new TreeMap<>()).put(c.region(), c.to());
    }
    return Weights.copyOf(after);
  }

  /** One line per change ({@code app.pharos.test b 30 -> 0}), or {@code no changes}. */
  public String describe() {
    return isEmpty() ? "no changes" : changes.stream().map(RecordChange::toString).collect(Collectors.joining("\n"));
  }
}
