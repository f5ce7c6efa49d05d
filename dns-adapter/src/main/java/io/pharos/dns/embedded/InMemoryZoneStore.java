package io.pharos.dns.embedded;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.Weights;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ZoneStore} in one JVM's memory, for a single machine and for tests (ours and users').
 * Commits are serialised and listeners are told inside the same lock, so they see states in
 * commit order.
 */
public final class InMemoryZoneStore implements ZoneStore {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryZoneStore.class);

  private final List<Consumer<ZoneState>> listeners = new CopyOnWriteArrayList<>();
  private volatile ZoneState current;

  public InMemoryZoneStore(ZoneState initial) {
    Objects.requireNonNull(initial, "initial");
    this.current = new ZoneState(Weights.copyOf(initial.weights()), initial.token(), initial.serial());
  }

  /** The config's base weights, no token, serial 1: what a fresh controller serves. */
  public static InMemoryZoneStore fromConfig(DnsConfig dns) {
    return new InMemoryZoneStore(new ZoneState(WeightPlan.base(dns), FencingToken.NONE, 1));
  }

  @Override
  public ZoneState current() {
    return current;
  }

  @Override
  public synchronized CompletableFuture<ZoneState> commit(Map<String, Map<String, Integer>> weights, FencingToken token) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(token, "token");
    ZoneState now = current;
    Map<String, Map<String, Integer>> copy = Weights.copyOf(weights);
    if (token.equals(now.token()) && copy.equals(now.weights())) {
      return CompletableFuture.completedFuture(now);
    }
    if (!token.isNewerThan(now.token())) {
      return CompletableFuture.failedFuture(new StaleTokenException(token, now.token()));
    }
    ZoneState next = new ZoneState(copy, token, now.serial() + 1);
    current = next;
    for (Consumer<ZoneState> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        // one broken listener must not stop the others from seeing the change
        LOG.error("zone listener failed for serial {} token {}", next.serial(), next.token(), e);
      }
    }
    return CompletableFuture.completedFuture(next);
  }

  @Override
  public void onChange(Consumer<ZoneState> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }
}
