package io.pharos.controller.webhook;

import io.pharos.controller.DaemonThreads;
import io.pharos.core.config.WebhooksConfig;
import io.pharos.core.journal.Leadership;
import io.pharos.core.wire.WebhookSignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's deliveries, in order, on a thread of its own (a slow receiver holds up nobody
 * else and never a decision): each is tried up to {@code webhooks.attempts} times with a doubling
 * backoff capped at {@code maxBackoff}, then given up and counted. Only the acting leader
 * delivers: a controller that lost leadership drops what it still holds (its successor sends the
 * current modes; receivers ignore tokens they have seen).
 */
final class ReceiverQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverQueue.class);

  private final WebhooksConfig.Receiver receiver;
  private final byte[] secret;
  private final WebhooksConfig settings;
  private final Leadership leadership;
  private final Clock clock;
  private final HttpClient http;
  private final ScheduledExecutorService executor;
  private final Deque<ModeChange> queue = new ArrayDeque<>();
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;
  private final Counter dropped;
  private boolean busy;
  private int attempt;
  private long sequence;

  ReceiverQueue(WebhooksConfig.Receiver receiver, byte[] secret, WebhooksConfig settings, Leadership leadership,
      Clock clock, MeterRegistry registry) {
    this.receiver = receiver;
    this.secret = secret.clone();
    this.settings = settings;
    this.leadership = leadership;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).version(HttpClient.Version.HTTP_1_1)
        .build();
    this.executor = DaemonThreads.single("pharos-webhook-" + receiver.name());
    this.delivered = counter(registry, "delivered");
    this.retried = counter(registry, "retried");
    this.failed = counter(registry, "failed");
    this.dropped = counter(registry, "dropped");
  }

  private Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("pharos.webhook.deliveries").description("webhook deliveries by receiver and outcome"
        + " (delivered, retried: a try failed and another follows, failed: given up, dropped: leadership lost)")
        .tag("receiver", receiver.name()).tag("outcome", outcome).register(registry);
  }

  /** Queues a change; delivery starts at once when nothing is in flight. */
  synchronized void offer(ModeChange change) {
    queue.addLast(change);
    if (!busy) {
      busy = true;
      schedule(0);
    }
  }

  private void schedule(long delayMs) {
    try {
      executor.schedule(this::next, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.debug("webhook receiver {} closed", receiver.name());
    }
  }

  private void next() {
    ModeChange head;
    synchronized (this) {
      if (!leadership.isActingLeader()) {
        dropped.increment(queue.size());
        queue.clear();
      }
      head = queue.peekFirst();
      if (head == null) {
        busy = false;
        attempt = 0;
        return;
      }
    }
    String problem = send(head);
    synchronized (this) {
      if (problem == null) {
        delivered.increment();
        finish();
        return;
      }
      attempt++;
      if (attempt >= settings.attempts()) {
        failed.increment();
        LOG.error("webhook to {} for {} {} at {} given up after {} tries: {}", receiver.name(), head.region(),
            head.mode().mode().label(), head.mode().token(), attempt, problem);
        finish();
        return;
      }
      retried.increment();
      long wait = backoff(attempt).toMillis();
      LOG.warn("webhook to {} for {} at {} failed (try {} of {}): {}; next try in {} ms", receiver.name(),
          head.region(), head.mode().token(), attempt, settings.attempts(), problem, wait);
      schedule(wait);
    }
  }

  private void finish() {
    queue.pollFirst();
    attempt = 0;
    schedule(0);
  }

  /** The wait before try {@code n + 1}: backoff, doubled each time, at most maxBackoff. */
  Duration backoff(int n) {
    Duration d = settings.backoff();
    for (int i = 1; i < n && d.compareTo(settings.maxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
  }

  /** One try; null when the receiver answered 2xx, else what went wrong. */
  private String send(ModeChange change) {
    byte[] body = change.body();
    long ts = clock.millis() / 1000;
    HttpRequest request = HttpRequest.newBuilder(receiver.url()).timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, body))
        .header(WebhookSignature.TOKEN_HEADER, change.mode().token().toString())
        .header(WebhookSignature.DELIVERY_HEADER, receiver.name() + "-" + change.region() + "-"
            + change.mode().token() + "-" + (++sequence))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status / 100 == 2 ? null : "HTTP " + status;
    } catch (java.io.IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
