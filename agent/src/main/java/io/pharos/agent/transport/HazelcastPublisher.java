package io.pharos.agent.transport;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.agent.report.FrameSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes signed report frames on the {@value #TOPIC} topic, strictly in order, one at a time.
 * Every frame first enters a bounded {@link FrameBuffer}; while the client is disconnected, or
 * after a failed publication, frames wait there (the oldest dropped and counted when full) and are
 * flushed in order, before newer ones, once the cluster answers again.
 *
 * <p>One publication in flight keeps the order exact even when one fails: a failed frame goes back
 * to the head of the buffer. Runs on the agent's context; the counters may be read from anywhere.
 */
public final class HazelcastPublisher implements FrameSink {
  /** Topic every controller member subscribes to. Fixed contract with the controllers. */
  public static final String TOPIC = "pharos.reports";
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPublisher.class);
  /** A publication not acknowledged within this is treated as failed (e.g. a frozen member). */
  static final long PUBLISH_TIMEOUT_MS = 5000;
  private static final long MAX_RETRY_DELAY_MS = 2000;

  private final ClusterConnection connection;
  private final Vertx vertx;
  private final FrameBuffer buffer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private volatile ITopic<byte[]> topic;
  private volatile HazelcastInstance topicOwner;
  private byte[] inFlight;
  private long generation;
  private long guardTimer = -1;
  private long retryTimer = -1;
  private int failureStreak;
  private boolean closed;

  public HazelcastPublisher(ClusterConnection connection, Vertx vertx, int bufferLimit) {
    this.connection = connection;
    this.vertx = vertx;
    this.buffer = new FrameBuffer(bufferLimit);
    connection.onConnectionChange(up -> {
      if (up) {
        failureStreak = 0;
        pump();
      } else {
        releaseDrainWaiters();
      }
    });
  }

  @Override
  public void publish(byte[] frame) {
    if (buffer.add(frame) && buffer.dropped() % 100 == 1) {
      LOG.warn("report buffer full ({} frames): dropping the oldest; {} dropped so far",
          buffer.limit(), buffer.dropped());
    }
    pump();
  }

  public PublisherStats stats() {
    return new PublisherStats(sent.get(), buffer.size(), buffer.dropped(), failures.get(), connection.connected());
  }

  /**
   * Completes when every frame handed over so far was published, or at once when disconnected
   * (nothing to wait for), or after {@code timeoutMs}. Never fails.
   */
  public Future<Void> drain(long timeoutMs) {
    if (idle() || !connection.connected()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    drainWaiters.add(p);
    long t = vertx.setTimer(Math.max(1, timeoutMs), id -> p.tryComplete());
    return p.future().onComplete(ar -> vertx.cancelTimer(t));
  }

  /** Stops publishing (the agent is closing the client); frames still buffered are abandoned. */
  public void close() {
    closed = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    releaseDrainWaiters();
  }

  private boolean idle() {
    return inFlight == null && buffer.isEmpty();
  }

  private void pump() {
    if (closed || inFlight != null || retryTimer >= 0 || !connection.connected()) {
      return;
    }
    byte[] frame = buffer.poll();
    if (frame == null) {
      releaseDrainWaiters();
      return;
    }
    inFlight = frame;
    long gen = ++generation;
    guardTimer = vertx.setTimer(PUBLISH_TIMEOUT_MS, id -> failed(gen,
        new java.util.concurrent.TimeoutException("not acknowledged within " + PUBLISH_TIMEOUT_MS + " ms")));
    connection.callAsync(hz -> topic(hz).publishAsync(frame)).onComplete(ar -> {
      if (ar.succeeded()) {
        succeeded(gen);
      } else {
        failed(gen, ar.cause());
      }
    });
  }

  /** The topic of the current client (the connection may replace its client: see ClusterConnection). */
  private ITopic<byte[]> topic(HazelcastInstance hz) {
    ITopic<byte[]> t = topic;
    if (t == null || hz != topicOwner) {
      t = hz.getTopic(TOPIC);
      topic = t;
      topicOwner = hz;
    }
    return t;
  }

  private void succeeded(long gen) {
    if (gen != generation || inFlight == null) {
      return; // already given up on by the guard timer; the frame was put back and goes again
    }
    vertx.cancelTimer(guardTimer);
    inFlight = null;
    sent.incrementAndGet();
    failureStreak = 0;
    pump();
  }

  private void failed(long gen, Throwable cause) {
    if (gen != generation || inFlight == null) {
      return;
    }
    vertx.cancelTimer(guardTimer);
    buffer.putBack(inFlight);
    inFlight = null;
    failures.incrementAndGet();
    failureStreak++;
    if (failureStreak == 1) {
      LOG.warn("publishing a report failed ({}); it stays buffered and is retried", cause.toString());
    } else {
      LOG.debug("publishing a report failed again ({})", cause.toString());
    }
    if (closed) {
      return;
    }
    if (connection.connected()) {
      long delay = Math.min(MAX_RETRY_DELAY_MS, 50L << Math.min(failureStreak, 6));
      retryTimer = vertx.setTimer(delay, id -> {
        retryTimer = -1;
        pump();
      });
    } else {
      releaseDrainWaiters();
    }
  }

  private void releaseDrainWaiters() {
    if (drainWaiters.isEmpty() || !(closed || idle() || !connection.connected())) {
      return;
    }
    List<Promise<Void>> waiting = new ArrayList<>(drainWaiters);
    drainWaiters.clear();
    waiting.forEach(Promise::tryComplete);
  }
}
