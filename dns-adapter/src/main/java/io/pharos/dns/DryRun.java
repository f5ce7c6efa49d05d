package io.pharos.dns;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.decision.WeightPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pharos dns plan}: what a failover or an evacuation step would change at the provider,
 * read from the provider itself and printed, with nothing applied. The same for every provider.
 */
public final class DryRun {
  private DryRun() {}

  /** The weights after taking {@code regions} out (the failover's plan); fails when none would serve. */
  public static Map<String, Map<String, Integer>> failover(DnsConfig dns, Collection<String> regions) {
    checkRegions(dns, regions);
    return WeightPlan.plan(dns, regions).orElseThrow(() -> new IllegalArgumentException("taking out " + regions
        + " leaves some record with no region to serve it; Pharos never sets every weight to 0"));
  }

  /**
   * The weights of an evacuation step: {@code region} keeps {@code percent} % of its base weight,
   * the rest goes to the other regions in proportion to their base weights (totals kept).
   */
  public static Map<String, Map<String, Integer>> evacuation(DnsConfig dns, String region, int percent) {
    checkRegions(dns, List.of(region));
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("an evacuation step keeps 0..100 % of the region's weight, was " + percent);
    }
    if (percent == 0) {
      return failover(dns, List.of(region));
    }
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    for (RecordConfig rc : dns.records()) {
      Map<String, Integer> base = rc.weights();
      Map<String, Integer> w = new TreeMap<>(base);
      int own = base.getOrDefault(region, 0);
      int kept = (int) Math.round(own * percent / 100.0);
      int freed = own - kept;
      int othersTotal = base.entrySet().stream().filter(e -> !e.getKey().equals(region))
          .mapToInt(Map.Entry::getValue).sum();
      if (othersTotal > 0 && freed > 0) {
        w.put(region, kept);
        int given = 0;
        String heaviest = null;
        for (var e : new TreeMap<>(base).entrySet()) {
          if (e.getKey().equals(region)) {
            continue;
          }
          int share = (int) Math.floor((double) freed * e.getValue() / othersTotal);
          w.put(e.getKey(), Math.min(WeightPlan.MAX_WEIGHT, e.getValue() + share));
          given += share;
          if (heaviest == null || e.getValue() > base.get(heaviest)) {
            heaviest = e.getKey();
          }
        }
        w.merge(heaviest, freed - given, (a, b) -> Math.min(WeightPlan.MAX_WEIGHT, a + b));
      }
      out.put(rc.name(), w);
    }
    return out;
  }

  /** Reads the provider, plans {@code desired} and describes it; applies nothing. */
  public static CompletableFuture<String> describe(DnsProvider provider, DnsConfig dns,
      Map<String, Map<String, Integer>> desired, String what) {
    return provider.read().thenApply(actual -> {
      ChangePlan plan = provider.plan(desired, actual);
      List<String> lines = new ArrayList<>();
      lines.add("dry run: " + what + " on provider " + provider.name() + ", zone " + dns.zone()
          + " (fencing token now " + actual.token() + ")");
      lines.add(plan.isEmpty() ? "no changes" : plan.size() + " record set(s) would change in one batch:");
      if (!plan.isEmpty()) {
        plan.describe().lines().forEach(l -> lines.add("  " + l));
      }
      if (!actual.drift().isEmpty()) {
        lines.add("drift found at the provider (not part of this plan):");
        actual.drift().forEach(d -> lines.add("  " + d));
      }
      lines.add("nothing was applied");
      return String.join("\n", lines);
    });
  }

  private static void checkRegions(DnsConfig dns, Collection<String> regions) {
    Map<String, Boolean> known = new LinkedHashMap<>();
    dns.records().forEach(r -> r.regions().forEach(g -> known.put(g, true)));
    for (String r : regions) {
      if (!known.containsKey(r)) {
        throw new IllegalArgumentException("region '" + r + "' serves none of dns.records; regions there are "
            + known.keySet());
      }
    }
  }
}
