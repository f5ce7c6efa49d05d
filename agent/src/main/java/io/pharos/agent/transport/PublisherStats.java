package io.pharos.agent.transport;

import java.util.List;

/**
 * Transport counters at one moment.
 *
 * @param sent reports the cluster acknowledged (on at least one path)
 * @param buffered reports waiting (not counting one in flight)
 * @param dropped reports dropped because the buffer was full
 * @param publishFailures reports that failed or timed out on every path (then sent again)
 * @param connected whether the client is connected to the controllers' cluster
 * @param copiesSent publications started (two per report attempt: one per path)
 * @param pathRepicks how often the pair of paths changed (a member slow, failed or migrated)
 * @param paths the topics of the last report and the members owning them ({@code topic@host:port})
 */
public record PublisherStats(long sent, int buffered, long dropped, long publishFailures, boolean connected,
    long copiesSent, long pathRepicks, List<String> paths) {
  public PublisherStats {
    paths = List.copyOf(paths);
  }

  /** Nothing sent yet (before start). */
  public static PublisherStats none() {
    return new PublisherStats(0, 0, 0, 0, false, 0, 0, List.of());
  }
}
