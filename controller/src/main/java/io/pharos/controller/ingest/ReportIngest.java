package io.pharos.controller.ingest;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.controller.cluster.TopicBytes;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.LogLimiter;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.wire.RejectReason;
import io.pharos.core.wire.ReportTopics;
import io.pharos.core.wire.ReportVerifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report topics' listener and the queue to the decision thread. A frame is verified on the
 * Hazelcast listener thread that delivered it, cheapest check first ({@link ReportVerifier}): what
 * an outsider sends — a 1 MB frame, a wrong MAC — is counted and dropped there and never takes a
 * queue slot, so real reports are not shed behind it. The second copy of a report (agents publish
 * each on two topics) is dropped there too, after its MAC, as a quiet duplicate.
 *
 * <p>The queue is bounded in bytes ({@link #MAX_QUEUED_BYTES}) and per agent
 * ({@link #MAX_QUEUED_PER_AGENT}): a holder of a region key flooding under many agent ids, or one
 * agent flushing a long buffer, cannot take the room every other agent needs. Every drop is
 * counted by reason ({@code pharos_reports_rejected_total{reason}}, {@code rejectedReports} in
 * status) and logged at most once a minute per source and reason; frames that did not authenticate
 * are logged per reason only (their claimed sender is whatever an outsider wrote).
 */
public final class ReportIngest {
  /**
   * Bytes of verified reports waiting for the decision thread. At the 50,000 reports/s the ingest
   * is designed for, reports of ~500 bytes fill this in about a second: more backlog than that is
   * stale anyway.
   */
  public static final long MAX_QUEUED_BYTES = 32L << 20;
  /** Reports of one agent waiting: an agent's whole buffer (300 by default) flushed at once fits. */
  public static final int MAX_QUEUED_PER_AGENT = 512;
  private static final Logger LOG = LoggerFactory.getLogger(ReportIngest.class);

  private final Clock clock;
  private final ControllerMetrics metrics;
  private final ReportVerifier verifier;
  private final long maxBytes;
  private final int maxPerAgent;
  private final LinkedBlockingQueue<ReportVerifier.Accepted> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicInteger> perAgent = new ConcurrentHashMap<>();
  private final LogLimiter rejectLog = new LogLimiter(60_000);
  private final List<Runnable> unsubscribe = new ArrayList<>();

  /** @param keys each region's key generations as the journal has them now */
  public ReportIngest(PharosConfig config, Clock clock, ControllerMetrics metrics,
      Function<String, RegionKeyState> keys) {
    this(config, clock, metrics, keys, MAX_QUEUED_BYTES, MAX_QUEUED_PER_AGENT);
  }

  ReportIngest(PharosConfig config, Clock clock, ControllerMetrics metrics, Function<String, RegionKeyState> keys,
      long maxBytes, int maxPerAgent) {
    this.clock = clock;
    this.metrics = metrics;
    this.verifier = new ReportVerifier(config, keys);
    this.maxBytes = maxBytes;
    this.maxPerAgent = maxPerAgent;
    metrics.gauge("pharos.ingest.queue", "verified reports waiting for the decision thread", queue::size);
    metrics.gauge("pharos.ingest.queue.bytes", "bytes of verified reports waiting", queuedBytes::get);
    metrics.gauge("pharos.ingest.agents", "agents whose replay and clock state is held", verifier::trackedAgents);
  }

  /** Listens on every report topic of this member; {@link #close()} removes the listeners. */
  public ReportIngest listen(HazelcastInstance member) {
    for (String name : ReportTopics.ALL) {
      // a payload that is not a byte frame is never deserialized (anyone can publish anything)
      ITopic<Object> topic = member.getTopic(name);
      UUID id = topic.addMessageListener(new TopicBytes(this::onFrame, () -> rejected(RejectReason.NOT_BYTES,
          "unauthenticated", "a payload that is not a byte frame (not deserialized)", clock.millis())));
      unsubscribe.add(() -> topic.removeMessageListener(id));
    }
    return this;
  }

  /** One frame off a topic: verified here, on the listener thread; queued only when good. Never blocks. */
  public void onFrame(byte[] frame) {
    long receivedAt = clock.millis();
    ReportVerifier.Result r = verifier.verify(frame, receivedAt);
    if (r instanceof ReportVerifier.Rejected rej) {
      rejected(rej.reason(), rej.authenticated() ? rej.source() : "unauthenticated", rej.message(), receivedAt);
      return;
    }
    ReportVerifier.Accepted a = (ReportVerifier.Accepted) r;
    AtomicInteger mine = perAgent.computeIfAbsent(a.agent(), k -> new AtomicInteger());
    if (mine.incrementAndGet() > maxPerAgent) {
      mine.decrementAndGet();
      rejected(RejectReason.AGENT_BACKLOG, a.agent(), maxPerAgent + " reports of this agent already wait", receivedAt);
      return;
    }
    if (queuedBytes.addAndGet(a.frameBytes()) > maxBytes) {
      queuedBytes.addAndGet(-a.frameBytes());
      mine.decrementAndGet();
      rejected(RejectReason.QUEUE_FULL, a.agent(), "the ingest queue holds " + maxBytes + " bytes already: the"
          + " decision thread is behind", receivedAt);
      return;
    }
    queue.add(a);
  }

  /** The next verified report, waiting up to {@code timeout}; null when none came. */
  public ReportVerifier.Accepted poll(long timeout, TimeUnit unit) throws InterruptedException {
    return released(queue.poll(timeout, unit));
  }

  /** The next verified report, or null. */
  public ReportVerifier.Accepted poll() {
    return released(queue.poll());
  }

  /** Forgets agents not heard for {@code security.agentStateExpiry}. */
  public int expireAgents(long now) {
    int n = verifier.expireAgents(now);
    perAgent.entrySet().removeIf(e -> e.getValue().get() == 0);
    return n;
  }

  public int queued() {
    return queue.size();
  }

  public void close() {
    unsubscribe.forEach(Runnable::run);
    unsubscribe.clear();
  }

  private ReportVerifier.Accepted released(ReportVerifier.Accepted a) {
    if (a != null) {
      queuedBytes.addAndGet(-a.frameBytes());
      AtomicInteger mine = perAgent.get(a.agent());
      if (mine != null) {
        mine.decrementAndGet();
      }
    }
    return a;
  }

  private void rejected(RejectReason reason, String source, String message, long now) {
    metrics.rejected(reason);
    if (!reason.alarming()) {
      return;
    }
    long suppressed = rejectLog.shouldLog(source, reason.label(), now);
    if (suppressed >= 0) {
      LOG.warn("rejected report from {}: {} ({}){}", source, reason.label(), message,
          suppressed > 0 ? "; " + suppressed + " more like it since the last line" : "");
    }
  }
}
