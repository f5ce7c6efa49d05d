package io.pharos.dns.embedded;

import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.StaleTokenException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the embedded zone lives. The controller implements it over its Raft log, so every
 * controller serves exactly what has been committed; {@link InMemoryZoneStore} serves one machine
 * and tests.
 */
public interface ZoneStore {

  /** The committed zone. Cheap and non-blocking: the DNS server calls it for every query. */
  ZoneState current();

  /**
   * Commits new weights under {@code token}. Completes with the committed state, or exceptionally
   * with {@link StaleTokenException} when {@code token} is older than {@code current().token()}.
   * Re-committing the current token with the same weights is a no-op (a retried commit), with
   * other weights it is refused: one token names one decision.
   */
  CompletableFuture<ZoneState> commit(Map<String, Map<String, Integer>> weights, FencingToken token);

  /**
   * Calls {@code listener} with every newly committed state, in commit order. Listeners must be
   * quick and must not block: they may run on the committing thread.
   */
  void onChange(Consumer<ZoneState> listener);
}
