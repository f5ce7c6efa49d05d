package io.pharos.controller.alert;

import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.Leadership;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.ProviderEvent;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS provider trouble (breaker, throttling, INSYNC deadline, drift, rejected records, a failed
 * start-up check) is loud: every event is counted in {@code pharos.alerts} and logged, and the
 * acting leader also puts it on the shared timeline.
 */
public final class ProviderAlerts implements Consumer<ProviderEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderAlerts.class);

  private final String controllerId;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final Leadership leadership;
  private volatile Consumer<AlertRaised> journal;

  public ProviderAlerts(String controllerId, Clock clock, ControllerMetrics metrics, Leadership leadership) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.metrics = metrics;
    this.leadership = leadership;
  }

  /**
   * Where the acting leader records events from now on (the executor's submit). Events before
   * this are counted and logged only: the provider exists before what journals its events.
   */
  public void journalTo(Consumer<AlertRaised> journal) {
    this.journal = journal;
  }

  @Override
  public void accept(ProviderEvent e) {
    metrics.alert(e.code(), e.severity().name());
    if (e.severity() == ProviderEvent.Severity.INFO) {
      LOG.info("{}: {}", e.code(), e.message());
    } else {
      LOG.warn("{}: {}", e.code(), e.message());
    }
    Consumer<AlertRaised> j = journal;
    if (j != null && leadership.isActingLeader()) {
      j.accept(new AlertRaised(e.code(), e.severity().name(), null, e.message(), false, leadership.term(),
          clock.millis(), controllerId));
    }
  }

  /** An unreachable provider at start is an alert, not a crash: the controller serves and retries. */
  public void checkAtStart(DnsProvider provider) {
    try {
      var health = provider.check().get(30, TimeUnit.SECONDS);
      LOG.info("DNS provider {}: {}", provider.name(), health.detail());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable t = e.getCause() != null ? e.getCause() : e;
      LOG.error("DNS provider {} failed its start-up check: {}", provider.name(), t.getMessage());
      metrics.alert("DnsProviderUnreachable", "CRITICAL");
    }
    metrics.gauge("pharos.dns.provider.up", "1 when the DNS provider is healthy",
        () -> provider.health().healthy() ? 1 : 0);
  }
}
