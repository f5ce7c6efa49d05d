package io.pharos.controller.alert;

import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.journal.AlertRaised;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Puts alerting analyses on the shared timeline: the acting leader records each one when it
 * starts and when it clears (de-duplicated by code and region), so every controller's
 * {@code /v1/events} and every drill report shows them. Leader-local memory: a new leader (or the
 * same one in a new term) records the conditions still active once more.
 */
public final class AlertJournal {
  private final String controllerId;
  private final Clock clock;
  private final Consumer<AlertRaised> journal;
  private final LongSupplier term;
  private final Map<String, Analysis> recorded = new HashMap<>();
  private long recordedInTerm = -1;

  /**
   * @param journal proposes an alert entry (the executor's submit: refusals are logged there)
   * @param term the term this controller leads in
   */
  public AlertJournal(String controllerId, Clock clock, Consumer<AlertRaised> journal, LongSupplier term) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
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
        record(e.getValue(), false, t);
      }
    }
    for (var e : recorded.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        record(e.getValue(), true, t);
      }
    }
    recorded.clear();
    recorded.putAll(now);
  }

  private void record(Analysis a, boolean cleared, long t) {
    journal.accept(new AlertRaised(a.code().label(), a.code().severity().name(), a.region(), a.message(), cleared, t,
        clock.millis(), controllerId));
  }
}
