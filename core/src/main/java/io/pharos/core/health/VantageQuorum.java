package io.pharos.core.health;

import io.pharos.core.health.QuorumVerdict.Evidence;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Region verdicts from the whole vantage matrix: what every region's agents see of every region,
 * their own included (docs/safety.md, "The decision rule").
 *
 * <ul>
 *   <li>A region is down when a majority of the <em>other</em> regions sees it failing
 *       ({@link Evidence#CLEAR}).
 *   <li>Its own agents never trigger a failover, but when another vantage cannot vote (silent,
 *       cut off, or heard without a verdict: its agents split evenly or have no fresh results), its own agents seeing it fail stand in for that one vote
 *       ({@link Evidence#CONFIRMED_BY_OWN}); at least one other region must see it failing.
 *   <li>One vote short because vantages cannot vote (never because they see it serving) is
 *       {@link Evidence#SHORT}: {@code policy.shortEvidence} decides.
 *   <li>An observer is cut off only when the others' view of it says so: it sees every other
 *       serving region failing <em>and</em> the others cannot reach it either, or see each other
 *       serving. An observer that sees the others failing while they see it serving and confirm
 *       each other (two regions of three lost at once) is not cut off: it is the survivor.
 *   <li>Its own agents going silent alone is a monitoring partition, not a region loss.
 * </ul>
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
      List<String> unknown = new ArrayList<>();
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
        } else if (r.verdict() == Verdict.NO_DATA) {
          unknown.add(vantage);
        }
      }
      int needed = voters / 2 + 1;
      Verdict own = view.reading(target, target).verdict();
      Evidence evidence = evidence(failing.size(), silent.size() + isolatedVoters.size() + unknown.size(), needed,
          own);
      if (evidence == Evidence.CONFIRMED_BY_OWN) {
        VantageReading self = view.reading(target, target);
        if (self.firstFailureAt() > 0) {
          firstFailure = Math.min(firstFailure, self.firstFailureAt());
        }
      }
      verdicts.put(target, new QuorumVerdict(target, voters, needed, failing, serving, degraded, silent,
          isolatedVoters, view.isSilent(target), firstFailure == Long.MAX_VALUE ? 0 : firstFailure, wobbling,
          lastFailure, own, evidence, unknown));
    }
    return verdicts;
  }

  /**
   * The decision rule on counts: {@code failing} other vantages see the region failing,
   * {@code unheard} other vantages cannot vote (silent or cut off), {@code needed} is a majority of
   * the other regions, {@code own} is what the region's own agents see.
   */
  static Evidence evidence(int failing, int unheard, int needed, Verdict own) {
    if (failing >= needed) {
      return Evidence.CLEAR;
    }
    if (failing == 0) {
      return Evidence.NONE;
    }
    // the own agents' vote stands in for one vantage that cannot vote, never for one that sees it serving
    boolean standIn = own == Verdict.FAILING && unheard >= 1;
    int votes = failing + (standIn ? 1 : 0);
    if (votes >= needed) {
      return Evidence.CONFIRMED_BY_OWN;
    }
    int stillUnheard = unheard - (standIn ? 1 : 0);
    return votes + 1 == needed && stillUnheard >= 1 ? Evidence.SHORT : Evidence.NONE;
  }

  /**
   * Vantages that are cut off. Each sees every other serving region failing (when there are at
   * least two to see), and the rest of the matrix says the fault is on its side: the others cannot
   * reach it either (most of those that see it, see it failing), or they see each other serving
   * (its view of them is contradicted). When the others see it serving and do not contradict it
   * (they see each other failing too: two regions of three lost at once), it is the survivor, not
   * the one cut off, and its votes count.
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
      boolean seesAllFailing = others.stream().allMatch(t -> view.reading(t, vantage).verdict() == Verdict.FAILING);
      if (seesAllFailing && (othersCannotReach(view, vantage) || contradicted(view, others))) {
        isolated.add(vantage);
      }
    }
    return isolated;
  }

  /**
   * Among the other regions' vantages that have a view of {@code region}, most see it failing. When
   * none has a view (all silent), nobody can say it is cut off: its votes count.
   */
  private static boolean othersCannotReach(ClusterView view, String region) {
    int failing = 0;
    int serving = 0;
    for (String other : view.regions()) {
      if (!other.equals(region)) {
        Verdict v = view.reading(region, other).verdict();
        failing += v == Verdict.FAILING ? 1 : 0;
        serving += v.seesServing() ? 1 : 0;
      }
    }
    return failing > serving;
  }

  /** Most of what {@code regions} see of each other is serving. */
  private static boolean contradicted(ClusterView view, List<String> regions) {
    int failing = 0;
    int serving = 0;
    for (String vantage : regions) {
      for (String target : regions) {
        if (!vantage.equals(target)) {
          Verdict v = view.reading(target, vantage).verdict();
          failing += v == Verdict.FAILING ? 1 : 0;
          serving += v.seesServing() ? 1 : 0;
        }
      }
    }
    return serving > failing;
  }

  /**
   * Every region is failing from every vantage that can see it — its own agents and the other
   * regions' alike, however the observers are classified — and each is seen by at least one. That
   * is what all regions down looks like; a network cut between all regions does not (there each
   * region's own agents see it serving).
   */
  public static boolean allRegionsFailing(ClusterView view) {
    for (String target : view.regions()) {
      int seen = 0;
      for (String vantage : view.regions()) {
        Verdict v = view.reading(target, vantage).verdict();
        if (v == Verdict.FAILING) {
          seen++;
        } else if (v.seesServing()) {
          return false;
        }
      }
      if (seen == 0) {
        return false;
      }
    }
    return !view.regions().isEmpty();
  }
}
