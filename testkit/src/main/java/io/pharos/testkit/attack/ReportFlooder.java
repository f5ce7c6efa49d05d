package io.pharos.testkit.attack;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.core.wire.ReportTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Floods the report topics with large frames from a client that knows only the cluster name: the
 * attack that once filled the controllers' ingest queue with frames nobody had verified, so that
 * real reports were shed and regions looked silent. Bounded in count and time; frames start with a
 * report's magic so they look like one until their size is checked.
 */
public final class ReportFlooder {
  /** What the flood did. */
  public record Result(int sent, long bytes, Duration took) {}

  private final Outsider outsider;

  public ReportFlooder(Outsider outsider) {
    this.outsider = outsider;
  }

  /**
   * Publishes up to {@code count} frames of {@code frameBytes} each, round-robin over every report
   * topic, stopping at {@code maxTime}.
   */
  public Result flood(int count, int frameBytes, Duration maxTime) {
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    HazelcastInstance hz = outsider.client();
    List<ITopic<byte[]>> topics = new ArrayList<>();
    ReportTopics.ALL.forEach(t -> topics.add(hz.getTopic(t)));
    byte[] frame = new byte[frameBytes];
    new Random(1).nextBytes(frame);
    frame[0] = 'P';
    frame[1] = 'H';
    frame[2] = 'R';
    frame[3] = 2;
    int sent = 0;
    while (sent < count && System.nanoTime() < deadline) {
      topics.get(sent % topics.size()).publish(frame);
      sent++;
    }
    return new Result(sent, (long) sent * frameBytes, Duration.ofNanos(System.nanoTime() - start));
  }
}
