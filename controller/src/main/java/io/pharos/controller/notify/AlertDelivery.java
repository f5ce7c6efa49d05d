package io.pharos.controller.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.pharos.controller.DaemonThreads;
import io.pharos.controller.alert.LocalAlerts;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.AlertsConfig;
import io.pharos.core.config.AlertsConfig.Receiver;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.Proposal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts to people (docs/alerts.md): the receivers of {@code alerts:}, each with its own delivery
 * queue; the journaled alerts' outbox, delivered by the acting leader only; this controller's own
 * control-plane alerts, delivered by it directly. Runs on its own threads: it never blocks a
 * decision or an event loop.
 */
public final class AlertDelivery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
  /** How often the outbox and the local alerts are looked at besides every applied entry. */
  static final long PERIOD_MS = 250;

  private final List<ReceiverQueue> queues;
  private final OutboxDelivery outbox;
  private final LocalDelivery local;
  private final ErrorCounter errors;
  private final ScheduledExecutorService thread = DaemonThreads.single("pharos-alert-delivery");

  private AlertDelivery(List<ReceiverQueue> queues, OutboxDelivery outbox, LocalDelivery local, ErrorCounter errors) {
    this.queues = queues;
    this.outbox = outbox;
    this.local = local;
    this.errors = errors;
  }

  /**
   * Starts delivery to the configured receivers (none: nothing runs). Secrets in files are read
   * here; an unreadable one stops start-up naming its field, never its value.
   *
   * @param submit proposes an entry as the acting leader (the executor's submit)
   */
  public static AlertDelivery start(PharosConfig config, String controllerId, Clock clock, Journal journal,
      Function<JournalEntry, CompletableFuture<Proposal>> submit, LocalAlerts localAlerts, MeterRegistry registry,
      ErrorCounter errors) {
    AlertsConfig alerts = config.alerts();
    List<ReceiverQueue> queues = new ArrayList<>();
    for (Receiver r : alerts.receivers()) {
      String secret = r.secret() == null ? null : r.secret().resolve(AlertDelivery::readSecretFile);
      queues.add(new ReceiverQueue(new Notifier(r, secret, alerts.timeout()), alerts, clock, localAlerts, registry));
    }
    AlertDelivery d = new AlertDelivery(List.copyOf(queues),
        new OutboxDelivery(journal, queues, submit, controllerId, config.environment(), clock),
        new LocalDelivery(localAlerts, queues, controllerId, config.environment(), clock,
            alerts.controlPlaneHold().toMillis()), errors);
    if (!queues.isEmpty()) {
      journal.onApplied(a -> d.poke());
      d.thread.scheduleWithFixedDelay(d::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
      LOG.info("alerts delivered to {}", alerts.receivers().stream().map(r -> r.name() + " ("
          + r.type().name().toLowerCase() + ", " + r.severities() + ")").toList());
    }
    return d;
  }

  private void poke() {
    try {
      thread.execute(this::tick);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // stopping: the journal's listener outlives this
    }
  }

  void tick() {
    try {
      local.tick();
      outbox.tick();
    } catch (RuntimeException e) {
      errors.record(LOG, "alerts.delivery", "alert delivery failed a round; continuing", e);
    }
  }

  /** Deliveries queued (or in their retries) across receivers: for tests and status. */
  public int queued() {
    return queues.stream().mapToInt(ReceiverQueue::queued).sum();
  }

  private static String readSecretFile(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the alert receiver's secret file " + file, e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    queues.forEach(ReceiverQueue::close);
  }
}
