package io.pharos.controller.notify;

import io.pharos.controller.alert.LocalAlerts;
import io.pharos.core.alert.AlertNotice;
import io.pharos.core.alert.AlertRouting;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A controller's own control-plane alerts ({@link LocalAlerts}: ControllerMinority,
 * ControllerUnreachable, AlertDeliveryFailing), delivered by that controller directly: no journal,
 * no quorum, no leader - a controller cut off from the others still pages about it. One notice per
 * raise and one per clear, with a dedup key naming the controller and when it was raised. A raise
 * is delivered once it has held {@code alerts.controlPlaneHold}: the followers' moment without a
 * leader during an election pages nobody.
 */
final class LocalDelivery {
  private final LocalAlerts alerts;
  private final List<ReceiverQueue> queues;
  private final String controllerId;
  private final String environment;
  private final Clock clock;
  private final long holdMs;
  private final Map<String, LocalAlerts.Alert> delivered = new HashMap<>();

  LocalDelivery(LocalAlerts alerts, List<ReceiverQueue> queues, String controllerId, String environment, Clock clock,
      long holdMs) {
    this.holdMs = holdMs;
    this.alerts = alerts;
    this.queues = queues;
    this.controllerId = controllerId;
    this.environment = environment;
    this.clock = clock;
  }

  /** Called on the notify thread on a timer: queues what was raised or cleared since the last call. */
  synchronized void tick() {
    Map<String, LocalAlerts.Alert> now = new HashMap<>();
    long at = clock.millis();
    for (LocalAlerts.Alert a : alerts.active()) {
      if (at - a.since() >= holdMs) {
        now.put(a.code() + "/" + a.subject(), a);
      }
    }
    for (var e : now.entrySet()) {
      LocalAlerts.Alert before = delivered.get(e.getKey());
      if (before == null || before.since() != e.getValue().since()) {
        send(e.getValue(), false, e.getValue().since());
      }
    }
    for (var e : delivered.entrySet()) {
      LocalAlerts.Alert after = now.get(e.getKey());
      if (after == null || after.since() != e.getValue().since()) {
        send(e.getValue(), true, clock.millis());
      }
    }
    delivered.clear();
    delivered.putAll(now);
  }

  private void send(LocalAlerts.Alert a, boolean resolved, long at) {
    String subject = "*".equals(a.subject()) ? null : a.subject();
    AlertNotice n = new AlertNotice(AlertNotice.localKey(environment, controllerId, a.code(), a.subject(), a.since()),
        a.code(), AlertNotice.severity(a.severity()), subject, a.message() + " (controller " + controllerId + ")",
        resolved, at, controllerId, environment, 0);
    for (ReceiverQueue q : queues) {
      if (AlertRouting.routes(q.receiver(), n)) {
        q.offer(new ReceiverQueue.Delivery(n, false, () -> { }));
      }
    }
  }
}
