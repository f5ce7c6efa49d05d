package io.pharos.core.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A region is down only when a majority of the <em>other</em> regions' vantages see it failing.
 * A vantage that sees every other region failing is itself cut off: its votes are dropped.
 * A region's own agents never vote on it; when they alone go silent that is a monitoring
 * partition, not a region loss.
 *
 * <p>Isolation is judged only among regions still serving: once a region is out (failed over),
 * seeing it fail is expected and says nothing about the observer.
 */
public final class VantageQuorum {
  private VantageQuorum() {}

  public static Map<String, QuorumVerdict> evaluate(ClusterView view, Collection<String> out) {
    List<String> regions = view.regions();
    List<String> isolated = isolatedVantages(view, out);
    Map<String, QuorumVerdict> verdicts = new LinkedHashMap<>();
    for (String target : regions) {
      List<String> failing = new ArrayList<>();
      List<String> serving = new ArrayList<>();
      List<String> degraded = new ArrayList<>();
      List<String> silent = new ArrayList<>();
      List<String> isolatedVoters = new ArrayList<>();
      List<String> wobbling = new ArrayList<>();
      long lastFailure = 0;
      long firstFailure = Long.MAX_VALUE;
      int voters = 0;
      for (String vantage : regions) {
        if (vantage.equals(target)) {
          continue;
        }
        voters++;
        VantageReading r = view.reading(target, vantage);
        if (r.verdict() == Verdict.SILENT) {
          silent.add(vantage);
        } else if (isolated.contains(vantage)) {
          isolatedVoters.add(vantage);
          continue;
        }
        if (r.wobbling()) {
          wobbling.add(vantage);
        }
        lastFailure = Math.max(lastFailure, r.lastFailureAt());
        if (r.verdict() == Verdict.FAILING) {
          failing.add(vantage);
          if (r.firstFailureAt() > 0) {
            firstFailure = Math.min(firstFailure, r.firstFailureAt());
          }
        } else if (r.verdict().seesServing()) {
          serving.add(vantage);
          if (r.verdict() == Verdict.DEGRADED) {
            degraded.add(vantage);
          }
        }
      }
      verdicts.put(target, new QuorumVerdict(target, voters, voters / 2 + 1, failing, serving, degraded, silent,
          isolatedVoters, view.isSilent(target), firstFailure == Long.MAX_VALUE ? 0 : firstFailure, wobbling, lastFailure));
    }
    return verdicts;
  }

  /**
   * Vantages that see every other serving region failing, when there are at least two such
   * regions to see.
   */
  public static List<String> isolatedVantages(ClusterView view, Collection<String> out) {
    List<String> serving = new ArrayList<>(view.regions());
    serving.removeAll(out);
    List<String> isolated = new ArrayList<>();
    for (String vantage : view.regions()) {
      List<String> others = new ArrayList<>(serving);
      others.remove(vantage);
      if (others.size() < 2) {
        continue;
      }
      boolean allFailing = true;
      for (String target : others) {
        if (view.reading(target, vantage).verdict() != Verdict.FAILING) {
          allFailing = false;
          break;
        }
      }
      if (allFailing) {
        isolated.add(vantage);
      }
    }
    return isolated;
  }
}
