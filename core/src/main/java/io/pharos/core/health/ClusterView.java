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
 * @param knownAgents region to the number of its agents heard from within {@code probes.agentExpiry}
 * @param lateReports late reports received so far (kept for history, not counted as votes)
 * @param droppedAgents the most recently dropped agents (not heard for {@code probes.agentExpiry}),
 *     newest first
 * @param droppedAgentsTotal agents dropped since the controller started
 * @param capacity region to the capacity headroom its own agents read recently (regions without a
 *     capacity endpoint, or whose readings went stale, are absent)
 */
public record ClusterView(
    long at,
    Map<String, Map<String, VantageReading>> readings,
    Map<String, Integer> liveAgents,
    Map<String, Integer> knownAgents,
    long lateReports,
    List<DroppedAgent> droppedAgents,
    long droppedAgentsTotal,
    Map<String, CapacityReading> capacity) {

  public ClusterView {
    droppedAgents = List.copyOf(droppedAgents);
    capacity = capacity == null ? Map.of() : Map.copyOf(capacity);
  }

  /** A picture without capacity readings. */
  public ClusterView(long at, Map<String, Map<String, VantageReading>> readings, Map<String, Integer> liveAgents,
      Map<String, Integer> knownAgents, long lateReports, List<DroppedAgent> droppedAgents, long droppedAgentsTotal) {
    this(at, readings, liveAgents, knownAgents, lateReports, droppedAgents, droppedAgentsTotal, null);
  }

  /**
   * An agent the controllers forgot: a pod that was replaced, an agent that was removed.
   *
   * @param id the agent's id
   * @param region its region
   * @param lastHeardAt controller clock of its last report
   * @param droppedAt controller clock when it was dropped
   */
  public record DroppedAgent(String id, String region, long lastHeardAt, long droppedAt) {}

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
