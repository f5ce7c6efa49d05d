package io.pharos.testkit.attack;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.core.wire.MalformedReportException;
import io.pharos.core.wire.ReportCodec;
import io.pharos.core.wire.ReportTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures real report frames off the topics (anyone with the cluster name can listen) and sends
 * them again later, unchanged: their MAC is good, so only replay protection stops them.
 */
public final class Replayer {
  /** What was captured and sent again. */
  public record Result(int captured, int replayed) {}

  private final Outsider outsider;

  public Replayer(Outsider outsider) {
    this.outsider = outsider;
  }

  /**
   * Captures up to {@code count} frames of agents in {@code region} (any region when null) within
   * {@code captureTime}, waits {@code delay}, then publishes each again on the topic it came from.
   */
  public Result replay(String region, int count, Duration captureTime, Duration delay) throws InterruptedException {
    HazelcastInstance hz = outsider.client();
    record Captured(String topic, byte[] frame) {}
    List<Captured> captured = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(count);
    List<Runnable> stop = new ArrayList<>();
    for (String name : ReportTopics.ALL) {
      ITopic<byte[]> topic = hz.getTopic(name);
      UUID id = topic.addMessageListener(m -> {
        if (captured.size() < count && claims(m.getMessageObject(), region)) {
          captured.add(new Captured(name, m.getMessageObject()));
          enough.countDown();
        }
      });
      stop.add(() -> topic.removeMessageListener(id));
    }
    enough.await(captureTime.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    stop.forEach(Runnable::run);
    Thread.sleep(delay.toMillis()); // the attack's own pause before sending the captures again
    List<Captured> toSend = List.copyOf(captured).subList(0, Math.min(count, captured.size()));
    for (Captured c : toSend) {
      hz.<byte[]>getTopic(c.topic()).publish(c.frame());
    }
    return new Result(toSend.size(), toSend.size());
  }

  private static boolean claims(byte[] frame, String region) {
    if (region == null) {
      return true;
    }
    try {
      return ReportCodec.header(frame, 0, frame.length).region().equals(region);
    } catch (MalformedReportException e) {
      return false;
    }
  }
}
