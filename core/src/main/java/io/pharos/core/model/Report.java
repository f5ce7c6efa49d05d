package io.pharos.core.model;

import java.util.List;

/**
 * What an agent sends once per heartbeat and at once when a result flips. It is also the agent's
 * heartbeat.
 *
 * @param version wire version
 * @param agentId unique agent id
 * @param region the agent's own region (its vantage)
 * @param seq strictly increasing per agent, across restarts (replay protection)
 * @param sentAt agent clock, epoch millis
 * @param observations probe results since the previous report
 */
public record Report(int version, String agentId, String region, long seq, long sentAt, List<Observation> observations) {
  public static final int VERSION = 1;

  public Report {
    observations = List.copyOf(observations);
  }
}
