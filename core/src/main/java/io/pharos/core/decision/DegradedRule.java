package io.pharos.core.decision;

import io.pharos.core.config.PharosConfig;
import io.pharos.core.health.ClusterView;
import io.pharos.core.health.QuorumVerdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The RegionDegraded finding and its hysteresis (alert only; part of the pure decision step). */
final class DegradedRule {
  private final PharosConfig config;
  /** Regions whose RegionDegraded is raised. */
  private final Set<String> raisedFor = new HashSet<>();

  DegradedRule(PharosConfig config) {
    this.config = config;
  }

  /**
   * RegionDegraded with hysteresis: raised when most of the vantages that see the region serving
   * measure an error rate above {@code policy.degradedErrorRate} sustained through a whole
   * {@code policy.degradedAfter} window (in both its halves: a burst is not sustained), cleared
   * when most measure half that rate or less over the newer half of the window, or when the region
   * is no longer healthy and in traffic (then other findings speak). The windows restart at every
   * recovery, so an outage's own failures never raise it afterwards.
   */
  Optional<Analysis> look(ClusterView view, String region, QuorumVerdict v, boolean healthyInTraffic) {
    double raiseAbove = config.policy().degradedErrorRate();
    int measured = 0;
    int above = 0;
    int below = 0;
    double worst = 0;
    List<String> seeing = new ArrayList<>();
    for (String vantage : v.servingVoters()) {
      var reading = view.reading(region, vantage);
      double rate = reading.sustainedErrorRate();
      if (rate < 0) {
        continue;
      }
      measured++;
      if (rate > raiseAbove) {
        above++;
        seeing.add(vantage);
        worst = Math.max(worst, rate);
      }
      if (reading.recentErrorRate() <= raiseAbove / 2) {
        below++;
      }
    }
    boolean raised = raisedFor.contains(region);
    if (!healthyInTraffic || measured == 0 || raised && below * 2 > measured) {
      raisedFor.remove(region);
      return Optional.empty();
    }
    if (!raised && above * 2 > measured) {
      raisedFor.add(region);
      raised = true;
    }
    if (!raised) {
      return Optional.empty();
    }
    return Optional.of(new Analysis(AnalysisCode.REGION_DEGRADED, region, (seeing.isEmpty() ? "errors"
        : seeing + " see errors up to " + String.format(java.util.Locale.ROOT, "%.1f", worst * 100) + " %")
         + " above " + pct(raiseAbove) + " through the last " + io.pharos.core.config.Durations.format(
            config.policy().degradedAfter()) + " (clears at " + pct(raiseAbove / 2) + " or less); alert only"));
  }

  private static String pct(double rate) {
    return String.format(java.util.Locale.ROOT, "%.2f %%", rate * 100).replace(".00 %", " %");
  }
}
