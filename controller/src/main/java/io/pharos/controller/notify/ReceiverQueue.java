package io.pharos.controller.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pharos.controller.DaemonThreads;
import io.pharos.controller.alert.LocalAlerts;
import io.pharos.core.alert.AlertNotice;
import io.pharos.core.alert.AlertRouting;
import io.pharos.core.config.AlertsConfig;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's deliveries, in order, on its own thread: a receiver that hangs or fails holds up
 * no other receiver, no decision and no event loop. Each change is tried up to {@code
 * alerts.retry.attempts} times with doubling backoff; every attempt is counted in {@code
 * pharos_alert_deliveries_total{receiver,result}} (delivered, failed, rejected, dropped, expired).
 * After {@code alerts.failingAfter} failed attempts in a row the receiver is failing: this
 * controller raises {@code AlertDeliveryFailing} about it (delivered on the other receivers), and
 * clears it at its next delivery.
 */
final class ReceiverQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverQueue.class);

  /** One change to deliver; {@code notice} null is a place holder (not for this receiver) kept for order. */
  record Delivery(AlertNotice notice, boolean fromOutbox, Runnable done) {}

  private final Notifier notifier;
  private final AlertsConfig settings;
  private final Clock clock;
  private final LocalAlerts local;
  private final MeterRegistry registry;
  private final ScheduledExecutorService thread;
  private final Deque<Delivery> queue = new ArrayDeque<>();
  private boolean busy;
  private int attempt;
  private int failuresInARow;

  ReceiverQueue(Notifier notifier, AlertsConfig settings, Clock clock, LocalAlerts local, MeterRegistry registry) {
    this.notifier = notifier;
    this.settings = settings;
    this.clock = clock;
    this.local = local;
    this.registry = registry;
    this.thread = DaemonThreads.single("pharos-alerts-" + notifier.receiver().name());
  }

  io.pharos.core.config.AlertsConfig.Receiver receiver() {
    return notifier.receiver();
  }

  String name() {
    return notifier.receiver().name();
  }

  /** Queues {@code d} behind the others. */
  synchronized void offer(Delivery d) {
    queue.addLast(d);
    if (!busy) {
      busy = true;
      thread.execute(this::next);
    }
  }

  /**
   * Forgets the outbox's deliveries (this controller stopped acting as leader), the one in its
   * retries too: it is not tried again. A request on the wire at this moment still completes.
   */
  synchronized void dropOutbox() {
    if (queue.peekFirst() != null && queue.peekFirst().fromOutbox()) {
      attempt = 0;
    }
    queue.removeIf(Delivery::fromOutbox);
  }

  synchronized int queued() {
    return queue.size();
  }

  private void next() {
    Delivery d;
    synchronized (this) {
      d = queue.peekFirst();
      if (d == null) {
        busy = false;
        return;
      }
    }
    long delay = 0;
    if (d.notice() == null) {
      finish(d);
    } else if (clock.millis() - d.notice().at() > settings.maxAge().toMillis()) {
      count("expired");
      LOG.warn("alert {} not delivered to {}: older than alerts.maxAge", d.notice().dedupKey(), name());
      finish(d);
    } else {
      delay = attempt(d);
    }
    thread.schedule(this::next, delay, TimeUnit.MILLISECONDS);
  }

  /** One attempt at the head; the wait before the next thing to do. */
  private long attempt(Delivery d) {
    synchronized (this) {
      attempt++;
    }
    Notifier.Attempt a = notifier.send(d.notice());
    if (a.outcome() == Notifier.Outcome.DELIVERED) {
      count("delivered");
      failuresInARow = 0;
      local.clear(AlertRouting.DELIVERY_FAILING, name());
      finish(d);
      return 0;
    }
    failuresInARow++;
    if (failuresInARow >= settings.failingAfter()) {
      local.raise(AlertRouting.DELIVERY_FAILING, "CRITICAL", name(), "alert receiver " + name() + " ("
          + notifier.receiver().type().name().toLowerCase() + ") failed " + failuresInARow + " delivery attempts in a"
          + " row, last: " + a.detail() + "; alerts for it may be late or lost");
    }
    if (a.outcome() == Notifier.Outcome.REJECTED) {
      count("rejected");
      LOG.error("receiver {} refused alert {} ({}): not retried", name(), d.notice().dedupKey(), a.detail());
      finish(d);
      return 0;
    }
    count("failed");
    int done;
    synchronized (this) {
      if (!queue.contains(d)) {
        return 0; // dropped meanwhile (this controller stopped leading): not tried again
      }
      done = attempt;
    }
    if (done >= settings.attempts()) {
      count("dropped");
      LOG.error("alert {} not delivered to {} after {} attempts (last: {}): given up", d.notice().dedupKey(), name(),
          done, a.detail());
      finish(d);
      return 0;
    }
    long backoff = Math.min(settings.maxBackoff().toMillis(),
        settings.initialBackoff().toMillis() << Math.min(20, done - 1));
    LOG.warn("alert {} to {} failed (attempt {} of {}: {}); again in {} ms", d.notice().dedupKey(), name(), done,
        settings.attempts(), a.detail(), backoff);
    return backoff;
  }

  private void finish(Delivery d) {
    synchronized (this) {
      queue.remove(d);
      attempt = 0;
    }
    d.done().run();
  }

  private void count(String result) {
    Counter.builder("pharos.alert.deliveries").tag("receiver", name()).tag("result", result)
        .description("alert delivery attempts per receiver, by result").register(registry).increment();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
