package io.pharos.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The weights a change will touch, the drifted sets it rewrites, and the snapshot it was made
 * against. A minimal plan keeps provider calls small (Route 53 batches, RFC 2136 updates) and
 * makes the audit log say exactly what moved. The basis is what fencing compares with: a
 * provider applies the plan only while its fencing record still holds the basis's token.
 *
 * @param changes sorted by record, then region; at most one change per record and region
 * @param repairs sets rewritten from the config without a weight change, sorted likewise
 * @param basis the snapshot the plan was made against; empty only for hand-made plans, which
 *     the remote providers refuse
 */
public record ChangePlan(List<RecordChange> changes, List<RecordRepair> repairs, Optional<ZoneSnapshot> basis) {
  private static final Comparator<RecordChange> ORDER =
      Comparator.comparing(RecordChange::record).thenComparing(RecordChange::region);
  private static final Comparator<RecordRepair> REPAIR_ORDER =
      Comparator.comparing(RecordRepair::record).thenComparing(RecordRepair::region);

  public ChangePlan {
    List<RecordChange> sorted = new ArrayList<>(changes);
    sorted.sort(ORDER);
    Set<String> seen = new HashSet<>();
    for (RecordChange c : sorted) {
      if (!seen.add(c.record() + " " + c.region())) {
        throw new IllegalArgumentException("the plan changes " + c.record() + " " + c.region() + " twice");
      }
    }
    List<RecordRepair> fixes = new ArrayList<>();
    for (RecordRepair r : repairs.stream().sorted(REPAIR_ORDER).toList()) {
      // a set whose weight changes is rewritten anyway
      if (seen.add(r.record() + " " + r.region())) {
        fixes.add(r);
      }
    }
    changes = List.copyOf(sorted);
    repairs = List.copyOf(fixes);
    java.util.Objects.requireNonNull(basis, "basis");
  }

  /** Weight changes only, without a basis (tests, hand-made plans). */
  public ChangePlan(List<RecordChange> changes) {
    this(changes, List.of(), Optional.empty());
  }

  public static ChangePlan empty() {
    return new ChangePlan(List.of());
  }

  /**
   * Every record and region in {@code desired} whose weight differs from {@code actual}; what
   * {@code desired} does not mention is left alone. Missing weights in {@code actual} count as 0.
   */
  public static ChangePlan between(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    return between(desired, actual, List.of());
  }

  /** As {@link #between(Map, ZoneSnapshot)}, also rewriting {@code repairs}. */
  public static ChangePlan between(
      Map<String, Map<String, Integer>> desired, ZoneSnapshot actual, List<RecordRepair> repairs) {
    List<RecordChange> changes = new ArrayList<>();
    new TreeMap<>(desired).forEach((record, regions) -> new TreeMap<>(regions).forEach((region, to) -> {
      int from = actual.weight(record, region);
      if (from != to) {
        changes.add(new RecordChange(record, region, from, to));
      }
    }));
    return new ChangePlan(changes, repairs, Optional.of(actual));
  }

  public boolean isEmpty() {
    return changes.isEmpty() && repairs.isEmpty();
  }

  /** Number of record sets the plan writes. */
  public int size() {
    return changes.size() + repairs.size();
  }

  /** Every record and region the plan writes, in order: changes, then repairs. */
  public List<String> touched() {
    return Stream.concat(changes.stream().map(c -> c.record() + " " + c.region()),
        repairs.stream().map(r -> r.record() + " " + r.region())).toList();
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

  /** The weights the basis would have with this plan applied; requires a basis. */
  public Map<String, Map<String, Integer>> weightsAfter() {
    return weightsAfter(requireBasis());
  }

  /** The basis, or an error saying how a plan must be made. */
  public ZoneSnapshot requireBasis() {
    return basis.orElseThrow(() -> new DnsProviderException("this plan was not made against a read of the zone;"
        + " make it with provider.plan(desired, provider.read())", false));
  }

  /** The same changes against another basis (the next part of a bisected batch). */
  public ChangePlan withBasis(ZoneSnapshot newBasis) {
    return new ChangePlan(changes, repairs, Optional.of(newBasis));
  }

  /**
   * This plan cut into two halves of (nearly) equal size, each with this plan's basis; used to
   * find the record a provider rejects. A plan of one set cannot be split.
   */
  public List<ChangePlan> halves() {
    if (size() < 2) {
      throw new IllegalStateException("a plan of " + size() + " record sets cannot be split");
    }
    int cut = size() / 2;
    List<RecordChange> c1 = new ArrayList<>();
    List<RecordChange> c2 = new ArrayList<>();
    List<RecordRepair> r1 = new ArrayList<>();
    List<RecordRepair> r2 = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      (i < cut ? c1 : c2).add(changes.get(i));
    }
    for (int i = 0; i < repairs.size(); i++) {
      (changes.size() + i < cut ? r1 : r2).add(repairs.get(i));
    }
    return List.of(new ChangePlan(c1, r1, basis), new ChangePlan(c2, r2, basis));
  }

  /** One line per change ({@code app.pharos.test b 30 -> 0}) and repair, or {@code no changes}. */
  public String describe() {
    return isEmpty() ? "no changes" : Stream.concat(changes.stream().map(RecordChange::toString),
        repairs.stream().map(RecordRepair::toString)).collect(Collectors.joining("\n"));
  }
}
