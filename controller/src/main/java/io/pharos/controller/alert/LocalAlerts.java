package io.pharos.controller.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts about the control plane itself, kept by each controller for itself and never through the
 * journal: they must work when there is no quorum to commit anything (a controller cut off from
 * the majority, the group below quorum). Each is in status, in {@code /ready}'s details, a metric
 * ({@code pharos_local_alert{code,subject}} 1 while raised) and a log line when it is raised and
 * when it clears. Delivery to people reads {@link #active()}.
 */
public final class LocalAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAlerts.class);

  /** One raised alert. */
  public record Alert(String code, String severity, String subject, String message, long since) {
    String key() {
      return code + "/" + subject;
    }
  }

  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<String, Alert> active = new ConcurrentHashMap<>();
  private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

  public LocalAlerts(Clock clock, MeterRegistry registry) {
    this.clock = clock;
    this.registry = registry;
  }

  /** Raises (or keeps raised, updating the message) an alert about {@code subject} ("*" for none). */
  public void raise(String code, String severity, String subject, String message) {
    Alert now = new Alert(code, severity, subject, message, clock.millis());
    Alert before = active.putIfAbsent(now.key(), now);
    if (before == null) {
      gauge(now);
      if ("CRITICAL".equals(severity)) {
        LOG.error("{} raised ({}): {}", code, subject, message);
      } else {
        LOG.warn("{} raised ({}): {}", code, subject, message);
      }
    } else if (!before.message().equals(message)) {
      active.put(now.key(), new Alert(code, severity, subject, message, before.since()));
    }
  }

  public void clear(String code, String subject) {
    Alert gone = active.remove(code + "/" + subject);
    if (gone != null) {
      LOG.warn("{} cleared ({}) after {} s", code, subject, (clock.millis() - gone.since()) / 1000);
    }
  }

  /** Raises or clears, as {@code raised} says. */
  public void set(boolean raised, String code, String severity, String subject, String message) {
    if (raised) {
      raise(code, severity, subject, message);
    } else {
      clear(code, subject);
    }
  }

  public List<Alert> active() {
    return active.values().stream().sorted(java.util.Comparator.comparing(Alert::key)).toList();
  }

  public boolean isRaised(String code) {
    return active.values().stream().anyMatch(a -> a.code().equals(code));
  }

  private void gauge(Alert a) {
    if (gauges.putIfAbsent(a.key(), true) == null) {
      String key = a.key();
      Gauge.builder("pharos.local.alert", () -> active.containsKey(key) ? 1 : 0).tag("code", a.code())
          .tag("subject", a.subject()).tag("severity", a.severity())
          .description("1 while this controller's own control-plane alert is raised").register(registry);
    }
  }
}
