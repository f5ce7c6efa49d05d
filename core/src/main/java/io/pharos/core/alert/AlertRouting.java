package io.pharos.core.alert;

import io.pharos.core.config.AlertsConfig.Receiver;

/**
 * Which receiver gets which alert: by severity, as each receiver is configured. A resolve goes
 * wherever its raise went (same severity). A receiver's own delivery-failure alert never goes to
 * the failing receiver: it would not arrive, and it is meant for the other channels.
 */
public final class AlertRouting {
  /** A controller's own alert: a receiver keeps failing (subject: the receiver's name). */
  public static final String DELIVERY_FAILING = "AlertDeliveryFailing";

  private AlertRouting() {}

  public static boolean routes(Receiver receiver, AlertNotice n) {
    if (DELIVERY_FAILING.equals(n.code()) && receiver.name().equals(n.region())) {
      return false;
    }
    return receiver.takes(n.severity());
  }
}
