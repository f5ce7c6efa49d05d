package io.pharos.core.journal;

import java.util.Map;

/**
 * The acting leader delivered (or gave up on, or let expire) every journaled alert up to a
 * sequence number, per receiver: the watermark of the alert outbox. A new leader delivers only what
 * lies above it (docs/alerts.md, "Outbox").
 *
 * @param upTo receiver name to the highest {@link OutboxAlert#seq()} it is done with
 */
public record AlertDelivered(Map<String, Long> upTo, long proposerTerm, long at, String controller)
    implements JournalEntry {
  public AlertDelivered {
    upTo = Map.copyOf(upTo);
  }
}
