package io.pharos.core.decision;

import io.pharos.core.journal.ZoneState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a name server serves while its controller is without a Raft majority (DESIGN.md "A cut-off
 * name server stays fail-static, and only ever removes"): the last committed zone, minus regions
 * its own region's agents see failing. It never adds a region, never removes the last region a
 * record serves, and removes its own region first (its agents see their own application from
 * inside; what they see of other regions through a cut is the least trustworthy evidence).
 */
public final class MinorityZone {
  private MinorityZone() {}

  /**
   * @param committed the last committed zone
   * @param ownRegion the region of this controller (and of the agents it still hears)
   * @param seenFailing regions the agents of {@code ownRegion} see failing now
   * @return the zone to answer from: {@code committed} itself when nothing is removed
   */
  public static ZoneState serve(ZoneState committed, String ownRegion, Set<String> seenFailing) {
    if (seenFailing.isEmpty()) {
      return committed;
    }
    List<String> order = new ArrayList<>();
    if (seenFailing.contains(ownRegion)) {
      order.add(ownRegion);
    }
    seenFailing.stream().filter(r -> !r.equals(ownRegion)).sorted().forEach(order::add);
    Map<String, Map<String, Integer>> weights = new LinkedHashMap<>();
    boolean changed = false;
    for (var record : committed.weights().entrySet()) {
      Map<String, Integer> w = new LinkedHashMap<>(record.getValue());
      for (String region : order) {
        if (w.getOrDefault(region, 0) > 0 && w.entrySet().stream()
            .anyMatch(e -> !e.getKey().equals(region) && e.getValue() > 0)) {
          w.put(region, 0);
          changed = true;
        }
      }
      weights.put(record.getKey(), w);
    }
    return changed ? new ZoneState(weights, committed.token(), committed.serial()) : committed;
  }
}
