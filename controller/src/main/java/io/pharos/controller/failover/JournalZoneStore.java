package io.pharos.controller.failover;

import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.embedded.ZoneStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The embedded DNS zone lives in the decision journal: committing a zone change is committing a
 * {@link DnsCommitted} entry, so every controller serves exactly the committed answers and a
 * change exists only once a majority holds it.
 */
public final class JournalZoneStore implements ZoneStore {
  private final Journal journal;
  private final String controllerId;
  private final Clock clock;

  public JournalZoneStore(Journal journal, String controllerId, Clock clock) {
    this.journal = journal;
    this.controllerId = controllerId;
    this.clock = clock;
  }

  @Override
  public ZoneState current() {
    return journal.state().zone();
  }

  @Override
  public CompletableFuture<ZoneState> commit(Map<String, Map<String, Integer>> weights, FencingToken token) {
    ZoneState zone = current();
    if (zone.token().isNewerThan(token)) {
      return CompletableFuture.failedFuture(new StaleTokenException(token, zone.token()));
    }
    if (zone.token().equals(token)) {
      return zone.weights().equals(weights) ? CompletableFuture.completedFuture(zone)
          : CompletableFuture.failedFuture(new StaleTokenException(token, zone.token()));
    }
    IntentRecord pending = journal.state().pending();
    if (pending == null || !pending.token().equals(token)) {
      return CompletableFuture.failedFuture(new DnsProviderException("no decision in progress holds token " + token
          + "; the zone only changes for the decision being executed", false));
    }
    DnsCommitted entry = new DnsCommitted(pending.intent().decisionId(), "embedded", weights,
        "serial-" + (zone.serial() + 1), journal.term(), clock.millis(), controllerId);
    return journal.propose(entry).thenApply(p -> {
      if (!p.accepted()) {
        throw new DnsProviderException("the journal refused the zone change: " + p.detail(), false);
      }
      return current();
    });
  }

  @Override
  public void onChange(Consumer<ZoneState> listener) {
    journal.onApplied(a -> {
      if (a.entry() instanceof DnsCommitted && a.result().accepted()) {
        listener.accept(a.result().state().zone());
      }
    });
  }
}
