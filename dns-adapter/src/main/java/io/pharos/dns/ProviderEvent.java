package io.pharos.dns;

import java.time.Instant;
import java.util.Objects;

/**
 * Something about a provider that a person should hear of: the controller turns these into alerts
 * (R15) and counts them. Messages never hold secrets.
 *
 * @param at when it happened, by the provider's clock
 * @param provider the provider's name
 * @param severity critical pages, warning and info notify
 * @param code a stable name for dedup and routing ({@link #BREAKER_OPENED}, ...)
 * @param message what happened and what to do
 */
public record ProviderEvent(Instant at, String provider, Severity severity, String code, String message) {
  public static final String BREAKER_OPENED = "DnsBreakerOpened";
  public static final String BREAKER_CLOSED = "DnsBreakerClosed";
  public static final String THROTTLED = "DnsThrottled";
  public static final String INSYNC_DEADLINE = "DnsInsyncDeadlinePassed";
  public static final String DRIFT = "DnsDrift";
  public static final String DRIFT_REPAIRED = "DnsDriftRepaired";
  public static final String RECORD_REJECTED = "DnsRecordRejected";
  public static final String UNREACHABLE = "DnsProviderUnreachable";

  /** How loud. */
  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  public ProviderEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return severity + " " + code + " [" + provider + "] " + message;
  }
}
