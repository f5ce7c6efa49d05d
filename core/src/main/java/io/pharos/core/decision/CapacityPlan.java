package io.pharos.core.decision;

import io.pharos.core.health.CapacityReading;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a change of weights does to the regions that keep serving, given the headroom their agents
 * read (DESIGN.md "Capacity"). A region at {@code h} % headroom runs at {@code 100 - h} % of its
 * capacity; when its share of a record grows by a factor {@code f}, it runs at {@code (100 - h) * f}
 * %: over 100 it is overloaded. A region without a capacity reading is not judged (and never
 * limited). Pure.
 */
public final class CapacityPlan {
  private CapacityPlan() {}

  /**
   * One surviving region after a change.
   *
   * @param region the region
   * @param growth by how much its largest share of a record grows (1.0: unchanged)
   * @param headroomPercent its headroom now, or null when unknown
   * @param utilisationAfter the share of its capacity it would use, percent, or null when unknown
   */
  public record SurvivorLoad(String region, double growth, Integer headroomPercent, Double utilisationAfter) {
    public boolean overloaded() {
      return utilisationAfter != null && utilisationAfter > 100.0 + 1e-9;
    }

    /** For people: {@code us-east +50 % share, 80 % -> 120 % of capacity}. */
    public String describe() {
      String grow = "+" + Math.round((growth - 1) * 100) + " % share";
      if (headroomPercent == null) {
        return region + " " + grow + ", capacity unknown";
      }
      return region + " " + grow + ", " + (100 - headroomPercent) + " % -> " + Math.round(utilisationAfter)
          + " % of capacity" + (overloaded() ? " (overloaded)" : "");
    }
  }

  /** The survivors of going from {@code before} to {@code after}: regions that serve after it. */
  public static List<SurvivorLoad> loads(Map<String, Map<String, Integer>> before,
      Map<String, Map<String, Integer>> after, Map<String, CapacityReading> capacity) {
    Map<String, Double> growth = new TreeMap<>();
    after.forEach((record, w) -> {
      int totalAfter = sum(w);
      int totalBefore = sum(before.getOrDefault(record, Map.of()));
      w.forEach((region, weight) -> {
        if (weight <= 0 || totalAfter == 0) {
          return;
        }
        int was = before.getOrDefault(record, Map.of()).getOrDefault(region, 0);
        double shareAfter = weight / (double) totalAfter;
        double shareBefore = totalBefore == 0 ? 0 : was / (double) totalBefore;
        double g = shareBefore == 0 ? Double.POSITIVE_INFINITY : shareAfter / shareBefore;
        growth.merge(region, g, Math::max);
      });
    });
    List<SurvivorLoad> out = new ArrayList<>();
    growth.forEach((region, g) -> {
      CapacityReading c = capacity.get(region);
      Integer h = c == null ? null : c.headroomPercent();
      Double util = h == null ? null : Double.isInfinite(g) ? (h == 0 ? Double.POSITIVE_INFINITY : null)
          : (100 - h) * g;
      out.add(new SurvivorLoad(region, g, h, util));
    });
    return out;
  }

  /**
   * {@code planned} reshaped so that no survivor is pushed past its capacity when the survivors
   * together can take the load: each record's shares are capped at what each region can carry
   * ({@code share * 100 / (100 - headroom)}) and the rest goes to those with room, in proportion
   * to their planned shares. When they cannot take it all, every survivor is filled to the same
   * multiple of its capacity (a crowded region beats a dead one). Totals per record are kept;
   * every region that serves in {@code planned} keeps at least weight 1.
   */
  public static Map<String, Map<String, Integer>> shape(Map<String, Map<String, Integer>> before,
      Map<String, Map<String, Integer>> planned, Map<String, CapacityReading> capacity) {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    planned.forEach((record, w) -> out.put(record, shapeRecord(before.getOrDefault(record, Map.of()), w, capacity)));
    return out;
  }

  private static Map<String, Integer> shapeRecord(Map<String, Integer> before, Map<String, Integer> planned,
      Map<String, CapacityReading> capacity) {
    int total = sum(planned);
    int totalBefore = sum(before);
    if (total == 0 || totalBefore == 0) {
      return planned;
    }
    Map<String, Double> share = new LinkedHashMap<>();
    Map<String, Double> cap = new LinkedHashMap<>();
    planned.forEach((region, weight) -> {
      if (weight > 0) {
        share.put(region, weight / (double) total);
        CapacityReading c = capacity.get(region);
        double was = before.getOrDefault(region, 0) / (double) totalBefore;
        cap.put(region, c == null || c.headroomPercent() == 100 || was == 0 ? Double.POSITIVE_INFINITY
            : was * 100.0 / (100 - c.headroomPercent()));
      }
    });
    double capTotal = cap.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> target = new LinkedHashMap<>();
    if (capTotal < 1.0) {
      cap.forEach((region, c) -> target.put(region, c / capTotal)); // everyone equally over
    } else {
      // water-filling: capped regions take their cap, the others share the rest as planned
      Map<String, Double> open = new LinkedHashMap<>(share);
      double left = 1.0;
      boolean changed = true;
      while (changed) {
        changed = false;
        double openShare = open.values().stream().mapToDouble(Double::doubleValue).sum();
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          double want = left * e.getValue() / openShare;
          if (want > cap.get(e.getKey())) {
            target.put(e.getKey(), cap.get(e.getKey()));
            left -= cap.get(e.getKey());
            it.remove();
            changed = true;
            break;
          }
        }
      }
      double openShare = open.values().stream().mapToDouble(Double::doubleValue).sum();
      double rest = left;
      open.forEach((region, s) -> target.put(region, rest * s / openShare));
    }
    return toWeights(planned, target, total);
  }

  /** Whole weights of {@code total} in the target shares, each serving region at least 1. */
  private static Map<String, Integer> toWeights(Map<String, Integer> planned, Map<String, Double> target, int total) {
    Map<String, Integer> out = new LinkedHashMap<>(planned);
    int given = 0;
    String largest = null;
    for (var e : target.entrySet()) {
      int w = Math.max(1, (int) Math.round(e.getValue() * total));
      out.put(e.getKey(), w);
      given += w;
      if (largest == null || w > out.get(largest)) {
        largest = e.getKey();
      }
    }
    if (largest != null) {
      out.put(largest, Math.max(1, out.get(largest) + total - given));
    }
    return out;
  }

  private static int sum(Map<String, Integer> w) {
    return w.values().stream().mapToInt(Integer::intValue).sum();
  }
}
