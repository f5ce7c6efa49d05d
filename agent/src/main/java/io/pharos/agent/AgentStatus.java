package io.pharos.agent;

import io.pharos.agent.transport.PublisherStats;
import io.pharos.core.model.Observation;
import java.util.List;

/**
 * What an agent is doing, at one moment: for {@code /v1/status}, {@code /ready} and tests.
 *
 * @param agentId the agent
 * @param region its region
 * @param version build version
 * @param uptimeMillis since start (monotonic)
 * @param targets endpoints probed (every region's)
 * @param probedOnce endpoints with at least one result
 * @param probesRun probes finished
 * @param probesSkipped probes not made because the agent had no room for them (no result, not a failure)
 * @param reportsBuilt reports signed and handed to the transport (heartbeats and edge reports)
 * @param edgeReports of those, sent at once because a result flipped or was confirmed
 * @param transport the transport's counters
 * @param modeRecordsIgnored mode records ignored because their token was older
 * @param modeRecordsMalformed mode records that could not be decoded
 * @param modeRecordsRejected mode records refused because the controllers did not sign them
 * @param modeRecordsFromOlderTerm mode records taken though issued in a lower term than one taken
 *     before (a deposed leader's taking effect): always 0 unless fencing at the receiver broke
 * @param lastResults the latest result of each endpoint, in config order
 */
public record AgentStatus(
    String agentId,
    String region,
    String version,
    long uptimeMillis,
    int targets,
    int probedOnce,
    long probesRun,
    long probesSkipped,
    long reportsBuilt,
    long edgeReports,
    PublisherStats transport,
    long modeRecordsIgnored,
    long modeRecordsMalformed,
    long modeRecordsRejected,
    long modeRecordsFromOlderTerm,
    List<Observation> lastResults) {

  public AgentStatus {
    lastResults = List.copyOf(lastResults);
  }

  public boolean firstRoundDone() {
    return probedOnce == targets;
  }

  /** Ready: every endpoint probed once and the controllers' cluster reachable. */
  public boolean ready() {
    return firstRoundDone() && transport.connected();
  }
}
