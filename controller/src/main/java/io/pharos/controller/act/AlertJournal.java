package io.pharos.controller.act;

import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.journal.AlertRaised;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Puts alerting analyses on the shared timeline: the acting leader records each one when it
 * starts and when it clears (de-duplicated by code and region), so every controller's
 * {@code /v1/events} and every drill report shows them. Leader-local memory: a new leader
 * records the conditions still active once more.
 */
public final class AlertJournal {
  private final String controllerId;
  private final Clock clock;
  private final Reconciler reconciler;
  private final LongSupplier term;
  private final Map<String, Analysis> recorded = new HashMap<>();
  private long recordedInTerm = -1;

  public AlertJournal(String controllerId, Clock clock, Reconciler reconciler, LongSupplier term) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.reconciler = reconciler;
    this.term = term;
  }

  /** Called on the decision thread with every step's analyses, only while acting leader. */
  public void update(List<Analysis> analyses) {
    long t = term.getAsLong();
    if (t != recordedInTerm) {
      recorded.clear();
      recordedInTerm = t;
    }
    Map<String, Analysis> now = new HashMap<>();
    for (Analysis a : analyses) {
      if (a.code().response() != AnalysisCode.Response.NONE && a.code().response() != AnalysisCode.Response.FAILOVER) {
        now.put(a.key(), a);
      }
    }
    for (var e : now.entrySet()) {
      if (!recorded.containsKey(e.getKey())) {
        Analysis a = e.getValue();
        reconciler.submit(new AlertRaised(a.code().label(), a.code().severity().name(), a.region(), a.message(), false,
            t, clock.millis(), controllerId));
      }
    }
    for (var e : recorded.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        Analysis a = e.getValue();
        reconciler.submit(new AlertRaised(a.code().label(), a.code().severity().name(), a.region(), a.message(), true,
            t, clock.millis(), controllerId));
      }
    }
    recorded.clear();
    recorded.putAll(now);
  }
}
