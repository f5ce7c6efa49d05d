package io.pharos.core.health;

import java.util.List;
import java.util.Map;

/**
 * An immutable picture of what every vantage sees of every region at one instant of the
 * controller's clock.
 *
 * @param at controller clock, epoch millis
 * @param readings target region to (vantage region to reading)
 * @param liveAgents region to the number of its agents heard from within the silence window
 * @param knownAgents region to the number of its agents ever heard from
 * @param lateReports late reports received so far (kept for history, not counted as votes)
 */
public record ClusterView(
    long at,
    Map<String, Map<String, VantageReading>> readings,
    Map<String, Integer> liveAgents,
    Map<String, Integer> knownAgents,
    long lateReports) {

  public VantageReading reading(String target, String vantage) {
    Map<String, VantageReading> byVantage = readings.get(target);
    return byVantage == null ? null : byVantage.get(vantage);
  }

  public boolean isSilent(String region) {
    return liveAgents.getOrDefault(region, 0) == 0;
  }

  public List<String> regions() {
    return List.copyOf(readings.keySet());
  }
}
