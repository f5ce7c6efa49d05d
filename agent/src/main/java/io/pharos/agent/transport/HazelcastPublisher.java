package io.pharos.agent.transport;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.agent.report.ReportSink;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes reports on the report topics, strictly in order, one at a time, each on two paths
 * ({@link ReportPaths}: topics whose partitions different members own), acknowledged by the first
 * path that answers. A report is signed when it is sent, with the agent's uptime then, so a report
 * that waited here carries its wait and controllers count it late. Every report first enters a
 * bounded {@link FrameBuffer}; while the client is disconnected, or after both paths failed, reports
 * wait there (the oldest dropped and counted when full) and are sent in order, before newer ones,
 * once the cluster answers again. Controllers drop the second copy as a duplicate.
 *
 * <p>Publishing never waits on the control lane ({@link ClusterConnection#call}): proxies are made on
 * the publishing lane and {@code publishAsync} is started from the agent's context. Runs on the
 * agent's context; the counters may be read from anywhere.
 */
public final class HazelcastPublisher implements ReportSink {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPublisher.class);
  /** A report that neither path acknowledged within this is sent again (re-signed). */
  static final long PUBLISH_TIMEOUT_MS = 5000;
  private static final long MAX_RETRY_DELAY_MS = 2000;

  private final ClusterConnection connection;
  private final Vertx vertx;
  private final ReportSigner signer;
  private final LongSupplier uptime;
  private final FrameBuffer<Report> buffer;
  private final ReportPaths paths;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong copiesSent = new AtomicLong();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private Map<String, ITopic<byte[]>> topics;
  private HazelcastInstance topicsOf;
  private boolean preparing;
  private Report inFlight;
  private int inFlightFailures;
  private int inFlightCopies;
  private long generation;
  private long publishIds;
  private long guardTimer = -1;
  private long retryTimer = -1;
  private int failureStreak;
  private boolean closed;
  private volatile List<String> pathView = List.of();

  /**
   * @param signer the agent's region key
   * @param uptime the agent's monotonic milliseconds since start (what reports carry)
   * @param agentId spreads agents over the topics
   */
  public HazelcastPublisher(ClusterConnection connection, Vertx vertx, int bufferLimit, ReportSigner signer,
      LongSupplier uptime, String agentId) {
    this.connection = connection;
    this.vertx = vertx;
    this.signer = signer;
    this.uptime = uptime;
    this.buffer = new FrameBuffer<>(bufferLimit);
    this.paths = new ReportPaths(agentId.hashCode());
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
  public void publish(Report report) {
    if (buffer.add(report) && buffer.dropped() % 100 == 1) {
      LOG.warn("report buffer full ({} reports): dropping the oldest; {} dropped so far",
          buffer.limit(), buffer.dropped());
    }
    pump();
  }

  public PublisherStats stats() {
    return new PublisherStats(sent.get(), buffer.size(), buffer.dropped(), failures.get(), connection.connected(),
        copiesSent.get(), paths.repicks(), pathView);
  }

  /**
   * Completes when every report handed over so far was published, or at once when disconnected
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

  /** Stops publishing (the agent is closing the client); reports still buffered are abandoned. */
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
    HazelcastInstance hz = connection.current();
    if (hz == null) {
      return;
    }
    if (topics == null || topicsOf != hz) {
      prepare(hz);
      return;
    }
    Report report = buffer.poll();
    if (report == null) {
      releaseDrainWaiters();
      return;
    }
    Report sending = report.sendingAt(uptime.getAsLong());
    byte[] frame = signer.sign(sending);
    inFlight = sending;
    inFlightFailures = 0;
    long gen = ++generation;
    guardTimer = vertx.setTimer(PUBLISH_TIMEOUT_MS, id -> failed(gen,
        new java.util.concurrent.TimeoutException("not acknowledged within " + PUBLISH_TIMEOUT_MS + " ms")));
    long now = uptime.getAsLong();
    List<ReportPaths.Path> chosen = paths.pick(hz, now);
    pathView = chosen.stream().map(p -> p.topic() + "@" + p.ownerAddress()).toList();
    inFlightCopies = chosen.size();
    for (ReportPaths.Path path : chosen) {
      long id = paths.started(path, ++publishIds, now);
      copiesSent.incrementAndGet();
      try {
        // handed to the context from the thread that completes the publish: Hazelcast's default
        // callback executor starts a new thread per callback where the common pool has a single
        // thread (2 cores or fewer, as in small containers)
        topics.get(path.topic()).publishAsync(frame).whenCompleteAsync((v, err) -> connection.context().runOnContext(
            x -> acknowledged(gen, path, id, err)), Runnable::run);
      } catch (RuntimeException e) {
        acknowledged(gen, path, id, e);
      }
    }
  }

  /** Topic proxies for every report topic, made on the publishing lane (it may block). */
  private void prepare(HazelcastInstance hz) {
    if (preparing) {
      return;
    }
    preparing = true;
    connection.prepare(client -> {
      Map<String, ITopic<byte[]>> made = new LinkedHashMap<>();
      for (String t : paths.topics()) {
        made.put(t, client.<byte[]>getTopic(t));
      }
      return made;
    }).onComplete(ar -> {
      preparing = false;
      if (ar.succeeded()) {
        topics = ar.result();
        topicsOf = hz;
        pump();
      } else if (!closed) {
        LOG.warn("could not make the report topics ({}); retrying", ar.cause().toString());
        scheduleRetry();
      }
    });
  }

  private void acknowledged(long gen, ReportPaths.Path path, long id, Throwable err) {
    paths.done(path, id, err == null, uptime.getAsLong());
    if (gen != generation || inFlight == null) {
      return; // the other path's copy, or one given up on by the guard timer: health only
    }
    if (err == null) {
      vertx.cancelTimer(guardTimer);
      inFlight = null;
      sent.incrementAndGet();
      failureStreak = 0;
      pump();
    } else if (++inFlightFailures >= inFlightCopies) {
      failed(gen, err);
    }
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
      LOG.warn("publishing a report failed on every path ({}); it stays buffered and is retried", cause.toString());
    } else {
      LOG.debug("publishing a report failed again ({})", cause.toString());
    }
    if (closed) {
      return;
    }
    if (connection.connected()) {
      scheduleRetry();
    } else {
      releaseDrainWaiters();
    }
  }

  private void scheduleRetry() {
    long delay = Math.min(MAX_RETRY_DELAY_MS, 50L << Math.min(Math.max(failureStreak, 1), 6));
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      pump();
    });
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
