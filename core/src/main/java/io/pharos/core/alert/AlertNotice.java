package io.pharos.core.alert;

import io.pharos.core.config.AlertsConfig.Severity;
import io.pharos.core.journal.OutboxAlert;
import java.util.Locale;

/**
 * One alert state change as it is delivered to people: a raise ({@code resolved} false) or the end
 * of the condition. Raise and resolve of one condition carry the same {@code dedupKey}.
 *
 * @param dedupKey identity of the incident at PagerDuty and Alertmanager: a re-sent change with the
 *     same key is the same incident, never a second page
 * @param code alert code ({@code RegionDown}, {@code ControllerMinority})
 * @param severity how loud
 * @param region region (or, for a controller's own alerts, the subject) concerned, or null
 * @param summary one line for people: the evidence
 * @param resolved true when the condition ended
 * @param at when the change happened (epoch millis)
 * @param source the controller that saw it
 * @param environment the config's {@code environment}
 * @param seq the outbox sequence number of a journaled alert, 0 for a controller's own alert
 */
public record AlertNotice(String dedupKey, String code, Severity severity, String region, String summary,
    boolean resolved, long at, String source, String environment, long seq) {

  /** The notice of a journaled alert change; its dedup key names the raise it belongs to. */
  public static AlertNotice of(OutboxAlert a, String environment) {
    return new AlertNotice(journaledKey(environment, a.code(), a.region(), a.incident()), a.code(),
        severity(a.severity()), a.region(), a.message(), a.cleared(), a.at(), a.controller(), environment, a.seq());
  }

  /**
   * The dedup key of a journaled alert: environment, code, region and the outbox number of its raise
   * (a condition raised again after it cleared is a new incident).
   */
  public static String journaledKey(String environment, String code, String region, long incident) {
    return "pharos/" + environment + "/" + code + "/" + (region == null ? "*" : region) + "/" + incident;
  }

  /**
   * The dedup key of a controller's own alert: environment, controller, code, subject and when it
   * was raised (each controller pages about its own seat, so two controllers cut off are two pages).
   */
  public static String localKey(String environment, String controller, String code, String subject, long since) {
    return "pharos/" + environment + "/" + controller + "/" + code + "/" + subject + "/" + since;
  }

  /** A severity written as in the journal (INFO, WARNING, CRITICAL); anything else is a warning. */
  public static Severity severity(String s) {
    try {
      return Severity.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      return Severity.WARNING;
    }
  }

  /** {@code [CRITICAL] RegionDown (b): ...} or {@code [RESOLVED] RegionDown (b): ...}. */
  public String title() {
    return "[" + (resolved ? "RESOLVED" : severity.name()) + "] " + code + (region == null ? "" : " (" + region + ")");
  }
}
