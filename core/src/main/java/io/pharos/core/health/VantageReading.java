package io.pharos.core.health;

import java.util.List;

/**
 * One vantage's view of one target region.
 *
 * @param vantage observing region
 * @param target observed region
 * @param verdict what it sees
 * @param liveAgents agents of the vantage heard from recently
 * @param failingEndpoints endpoint ids the vantage sees failing
 * @param errorRate highest endpoint error rate among its live agents
 * @param firstFailureAt agent-clock time of the earliest failing probe behind a FAILING verdict, or 0
 * @param wobbling whether any of its agents' latest probe of a critical endpoint failed, confirmed
 *     or not: an early sign, used to hold a failover while a wider failure may be unfolding
 * @param lastFailureAt controller clock when the latest failed probe of a critical endpoint
 *     arrived from this vantage, or 0
 * @param sustainedErrorRate error rate sustained over {@code policy.degradedAfter}: the lower of
 *     the window's two halves (the median of the vantage's agents, each the worst of the target's
 *     endpoints), or -1 until that window has been watched in full since the agents started or
 *     the target last recovered
 * @param recentErrorRate the same over the newer half of the window only, or -1
 */
public record VantageReading(
    String vantage,
    String target,
    Verdict verdict,
    int liveAgents,
    List<String> failingEndpoints,
    double errorRate,
    long firstFailureAt,
    boolean wobbling,
    long lastFailureAt,
    double sustainedErrorRate,
    double recentErrorRate) {
  public VantageReading {
    failingEndpoints = List.copyOf(failingEndpoints);
  }
}
