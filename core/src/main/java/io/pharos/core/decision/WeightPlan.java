package io.pharos.core.decision;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DNS weights with some regions taken out: their share goes to the remaining regions in
 * proportion to their base weights, so each record's total stays the same (capped at 255, the
 * Route 53 maximum). A region being evacuated can also be held at a percentage of its base
 * weight; what it gives up goes to the others the same way. Never produces a record whose
 * weights are all zero.
 */
public final class WeightPlan {
  public static final int MAX_WEIGHT = 255;

  private WeightPlan() {}

  /** Weights for every record with {@code out} removed; empty when some record would serve nothing. */
  public static Optional<Map<String, Map<String, Integer>>> plan(DnsConfig dns, Collection<String> out) {
    return plan(dns, out, Map.of());
  }

  /**
   * Weights for every record with {@code out} removed and each region of {@code percent} held at
   * that percentage of its base weight ({@link #scaled}); empty when some record would serve
   * nothing. Where only held regions would be left in a record, they keep their base share: the
   * traffic has nowhere else to go.
   */
  public static Optional<Map<String, Map<String, Integer>>> plan(DnsConfig dns, Collection<String> out,
      Map<String, Integer> percent) {
    Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
    for (RecordConfig r : dns.records()) {
      Map<String, Integer> w = planRecord(r.weights(), out, percent);
      if (w == null) {
        return Optional.empty();
      }
      all.put(r.name(), w);
    }
    return Optional.of(all);
  }

  /** The weights with nothing taken out. */
  public static Map<String, Map<String, Integer>> base(DnsConfig dns) {
    return plan(dns, List.of()).orElseThrow();
  }

  /** A base weight held at {@code percent}: rounded, and at least 1 while the percentage is above 0. */
  public static int scaled(int base, int percent) {
    if (percent <= 0 || base <= 0) {
      return 0;
    }
    return percent >= 100 ? base : Math.max(1, (int) Math.round(base * percent / 100.0));
  }

  static Map<String, Integer> planRecord(Map<String, Integer> base, Collection<String> out) {
    return planRecord(base, out, Map.of());
  }

  static Map<String, Integer> planRecord(Map<String, Integer> base, Collection<String> out,
      Map<String, Integer> percent) {
    List<String> active = new ArrayList<>();
    List<String> held = new ArrayList<>();
    long total = 0;
    long activeTotal = 0;
    for (var e : base.entrySet()) {
      total += e.getValue();
      if (e.getValue() > 0 && !out.contains(e.getKey())) {
        if (percent.containsKey(e.getKey()) && percent.get(e.getKey()) < 100) {
          held.add(e.getKey());
        } else {
          active.add(e.getKey());
          activeTotal += e.getValue();
        }
      }
    }
    if (active.isEmpty() && held.isEmpty()) {
      return null;
    }
    Map<String, Integer> result = new LinkedHashMap<>();
    base.keySet().stream().sorted().forEach(k -> result.put(k, 0));
    if (active.isEmpty()) {
      // nowhere to move the held regions' traffic to: they keep their base share
      return planRecord(base, out, Map.of());
    }
    for (String h : held.stream().sorted().toList()) {
      int w = scaled(base.get(h), percent.get(h));
      result.put(h, w);
      total -= w;
    }
    // largest-remainder apportionment of the whole total among the active regions
    long assigned = 0;
    double[] remainders = new double[active.size()];
    for (int i = 0; i < active.size(); i++) {
      String region = active.get(i);
      double exact = (double) total * base.get(region) / activeTotal;
      int floor = (int) Math.floor(exact);
      result.put(region, floor);
      remainders[i] = exact - floor;
      assigned += floor;
    }
    for (long left = total - assigned; left > 0; left--) {
      int best = 0;
      for (int i = 1; i < remainders.length; i++) {
        if (remainders[i] > remainders[best]
            || (remainders[i] == remainders[best] && active.get(i).compareTo(active.get(best)) < 0)) {
          best = i;
        }
      }
      result.merge(active.get(best), 1, Integer::sum);
      remainders[best] = -1;
    }
    result.replaceAll((k, v) -> Math.min(v, MAX_WEIGHT));
    return result;
  }
}
