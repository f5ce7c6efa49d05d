package io.pharos.core.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Journaled alerts on their way to people: each raise and clear gets a sequence number in commit
 * order; {@code delivered} holds, per receiver, the highest one the leader is done with. Since it
 * is replicated state, a leader change neither loses an alert (the next leader sends what lies above
 * the watermark) nor pages twice for one recorded as delivered; a delivery the old leader made but
 * could not record is sent again with the same dedup key (idempotent at PagerDuty and
 * Alertmanager).
 *
 * @param lastSeq the newest sequence number given out
 * @param pending the most recent alert changes, oldest first (at most {@link #MAX_PENDING})
 * @param open condition ({@code code/region}) to the sequence number of its raise, while raised
 * @param delivered receiver name to the highest sequence number delivered (or given up)
 */
public record AlertOutbox(long lastSeq, List<OutboxAlert> pending, Map<String, Long> open,
    Map<String, Long> delivered) {
  /** Alert changes kept for delivery: far more than a receiver's retries can fall behind. */
  public static final int MAX_PENDING = 500;
  /** Conditions tracked as raised (one-shot events are never cleared: the oldest go first). */
  public static final int MAX_OPEN = 500;

  public static final AlertOutbox EMPTY = new AlertOutbox(0, List.of(), Map.of(), Map.of());

  public AlertOutbox {
    pending = pending == null ? List.of() : List.copyOf(pending);
    open = open == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(open));
    delivered = delivered == null ? Map.of() : Map.copyOf(delivered);
  }

  /** The watermark of {@code receiver}: 0 when it has delivered nothing yet. */
  public long deliveredUpTo(String receiver) {
    return delivered.getOrDefault(receiver, 0L);
  }

  /** Whether {@code code} about {@code region} is raised (journaled and not cleared). */
  public boolean isOpen(String code, String region) {
    return open.containsKey(OutboxAlert.condition(code, region));
  }

  /**
   * With one more change queued. A clear of a condition that is not raised has nothing to resolve
   * and is not queued.
   */
  AlertOutbox add(AlertRaised a) {
    String condition = OutboxAlert.condition(a.code(), a.region());
    Map<String, Long> nextOpen = new LinkedHashMap<>(open);
    long seq = lastSeq + 1;
    long incident;
    if (a.cleared()) {
      Long raised = nextOpen.remove(condition);
      if (raised == null) {
        return this;
      }
      incident = raised;
    } else {
      incident = seq;
      nextOpen.remove(condition);
      nextOpen.put(condition, seq);
      while (nextOpen.size() > MAX_OPEN) {
        nextOpen.remove(nextOpen.keySet().iterator().next());
      }
    }
    return new AlertOutbox(seq, bounded(pending, new OutboxAlert(seq, incident, a.code(), a.severity(), a.region(),
        a.message(), a.cleared(), a.at(), a.controller())), nextOpen, delivered);
  }

  /** With a one-time notice queued (an executed change): it is never raised or cleared. */
  AlertOutbox event(AlertRaised a) {
    long seq = lastSeq + 1;
    return new AlertOutbox(seq, bounded(pending, new OutboxAlert(seq, seq, a.code(), a.severity(), a.region(),
        a.message(), false, a.at(), a.controller())), open, delivered);
  }

  private static List<OutboxAlert> bounded(List<OutboxAlert> pending, OutboxAlert added) {
    List<OutboxAlert> next = new ArrayList<>(pending);
    next.add(added);
    return next.size() > MAX_PENDING ? next.subList(next.size() - MAX_PENDING, next.size()) : next;
  }

  /** With the watermarks of {@code d} (a watermark never goes back). */
  AlertOutbox delivered(AlertDelivered d) {
    Map<String, Long> next = new LinkedHashMap<>(delivered);
    d.upTo().forEach((r, s) -> next.merge(r, Math.min(s, lastSeq), Math::max));
    return new AlertOutbox(lastSeq, pending, open, next);
  }
}
