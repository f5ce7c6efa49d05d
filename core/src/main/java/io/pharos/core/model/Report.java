package io.pharos.core.model;

import java.util.List;

/**
 * What an agent sends once per heartbeat and at once when a result flips. It is also the agent's
 * heartbeat.
 *
 * <p>Replay protection is per agent boot: a random {@code bootId} chosen at start and a
 * {@code counter} from 1, never derived from a wall clock, so a forged jump can at most end that
 * boot's reports. Freshness is judged by the controller on its own receive time and the agent's
 * monotonic clock ({@code uptimeMillis}, {@code heldMillis}); the agent's wall clock
 * ({@code sentAt}, observation times) only orders observations and shows skew.
 *
 * @param version wire version
 * @param region the agent's own region (its vantage); the key that signs the report is this
 *     region's, so an agent cannot speak for another region
 * @param keyGeneration generation of the region key that signs it
 * @param agentId agent id, unique within its region
 * @param bootId random per agent start
 * @param counter 1, 2, 3... within the boot
 * @param uptimeMillis the agent's monotonic clock (since its start) when it signed this report for
 *     sending
 * @param heldMillis how long the agent held the report before that send (0 when sent at once; a
 *     report buffered while the controllers were unreachable carries its wait)
 * @param sentAt agent wall clock, epoch millis, when the report was built
 * @param observations probe results since the previous report
 */
public record Report(
    int version,
    String region,
    int keyGeneration,
    String agentId,
    long bootId,
    long counter,
    long uptimeMillis,
    long heldMillis,
    long sentAt,
    List<Observation> observations) {
  public static final int VERSION = 2;

  public Report {
    observations = List.copyOf(observations);
  }

  /**
   * This report as signed for sending at agent uptime {@code uptimeNow}: its hold time grows by the
   * time since it was built (or last sent).
   */
  public Report sendingAt(long uptimeNow) {
    long held = heldMillis + Math.max(0, uptimeNow - uptimeMillis);
    return new Report(version, region, keyGeneration, agentId, bootId, counter, uptimeNow, held, sentAt, observations);
  }

  /** The same report with only {@code kept} of its observations. */
  public Report withObservations(List<Observation> kept) {
    return new Report(version, region, keyGeneration, agentId, bootId, counter, uptimeMillis, heldMillis, sentAt, kept);
  }
}
