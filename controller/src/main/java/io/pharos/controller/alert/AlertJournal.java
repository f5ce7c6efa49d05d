package io.pharos.controller.alert;

import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.journal.AlertOutbox;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.OutboxAlert;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Puts alerting analyses on the shared timeline: the acting leader records each one when it
 * starts and when it clears (de-duplicated by code and region), so every controller's
 * {@code /v1/events}, every drill report and the alert outbox (delivery to people) show them. A new
 * leader (or the same one in a new term) starts from the conditions the journal holds as raised:
 * one still active is not raised again (no second page), one that ended meanwhile is cleared. A
 * region down (answered by a failover, which is on the timeline as its decision) is alerted once it
 * has lasted {@link #REGION_DOWN_ALERT_MS} (DESIGN.md "Alerts": critical past 30 s).
 */
public final class AlertJournal {
  /** A condition as recorded: what its clear repeats. */
  private record Recorded(String code, String severity, String region, String message) {}

  private final String controllerId;
  private final Clock clock;
  private final Consumer<AlertRaised> journal;
  private final LongSupplier term;
  private final Supplier<AlertOutbox> outbox;
  /** A region down this long is alerted (critical) besides being failed over. */
  public static final long REGION_DOWN_ALERT_MS = 30_000;

  private final Map<String, Recorded> recorded = new HashMap<>();
  /** Condition to when this leader first saw it, for those alerted only once they last. */
  private final Map<String, Long> firstSeen = new HashMap<>();
  private long recordedInTerm = -1;

  /**
   * @param journal proposes an alert entry (the executor's submit: refusals are logged there)
   * @param term the term this controller leads in
   * @param outbox the journal's alert outbox (which conditions are raised)
   */
  public AlertJournal(String controllerId, Clock clock, Consumer<AlertRaised> journal, LongSupplier term,
      Supplier<AlertOutbox> outbox) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
    this.term = term;
    this.outbox = outbox;
  }

  /** Without the journal's raised conditions: a new term records those still active once more. */
  public AlertJournal(String controllerId, Clock clock, Consumer<AlertRaised> journal, LongSupplier term) {
    this(controllerId, clock, journal, term, () -> AlertOutbox.EMPTY);
  }

  /** Called on the decision thread with every step's analyses, only while acting leader. */
  public void update(List<Analysis> analyses) {
    long t = term.getAsLong();
    if (t != recordedInTerm) {
      recorded.clear();
      recorded.putAll(raisedInJournal());
      recordedInTerm = t;
    }
    Map<String, Recorded> now = new HashMap<>();
    long at = clock.millis();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Analysis a : analyses) {
      AnalysisCode.Response response = a.code().response();
      if (response == AnalysisCode.Response.NONE) {
        continue;
      }
      Recorded r = new Recorded(a.code().label(), a.code().severity().name(), a.region(), a.message());
      String key = key(r.code(), r.region());
      if (response == AnalysisCode.Response.FAILOVER) {
        seen.add(key);
        long since = firstSeen.computeIfAbsent(key, k -> at);
        if (at - since < REGION_DOWN_ALERT_MS && !recorded.containsKey(key)) {
          continue;
        }
      }
      now.put(key, r);
    }
    firstSeen.keySet().retainAll(seen);
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

  private Map<String, Recorded> raisedInJournal() {
    AlertOutbox o = outbox.get();
    Map<String, Recorded> raised = new HashMap<>();
    for (OutboxAlert a : o.pending()) {
      Long seq = o.open().get(a.condition());
      if (seq != null && seq == a.seq()) {
        raised.put(key(a.code(), a.region()), new Recorded(a.code(), a.severity(), a.region(), a.message()));
      }
    }
    return raised;
  }

  private static String key(String code, String region) {
    return code + "/" + (region == null ? "*" : region);
  }

  private void record(Recorded a, boolean cleared, long t) {
    journal.accept(new AlertRaised(a.code(), a.severity(), a.region(), a.message(), cleared, t, clock.millis(),
        controllerId));
  }
}
