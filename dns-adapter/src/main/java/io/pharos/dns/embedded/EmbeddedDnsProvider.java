package io.pharos.dns.embedded;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.PlanRules;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.RecordChange;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The provider for a zone served by the controllers themselves. Applying is committing to the
 * {@link ZoneStore}; a change is live once the store holds its token, because every controller's
 * {@link EmbeddedDnsServer} answers from the committed state. Persistence is the store's: the
 * controller's store is its Raft journal (with snapshots), so a restarted controller serves the
 * last committed answers at once, and there is no second store to keep in step.
 */
public final class EmbeddedDnsProvider implements DnsProvider {
  public static final String NAME = "embedded";

  private final DnsConfig dns;
  private final ZoneStore store;
  private final Clock clock;
  private final AtomicReference<FencingToken> lastAccepted = new AtomicReference<>(FencingToken.NONE);
  private final Map<CompletableFuture<Void>, FencingToken> waiters = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public EmbeddedDnsProvider(DnsConfig dns, ZoneStore store, Clock clock) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    store.onChange(this::released);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean servedFromJournal() {
    return true;
  }

  @Override
  public CompletableFuture<ZoneSnapshot> read() {
    return CompletableFuture.completedFuture(ZoneSnapshot.of(store.current()));
  }

  @Override
  public ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    PlanRules.check(dns, desired);
    // the embedded zone cannot drift (it is the journal), so there is never anything to repair
    return ChangePlan.between(desired, actual);
  }

  @Override
  public CompletableFuture<ProviderHealth> check() {
    ProviderHealth h = health();
    return h.healthy() ? CompletableFuture.completedFuture(h)
        : CompletableFuture.failedFuture(new DnsProviderException(h.detail(), false));
  }

  @Override
  public CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token, ChangeWindow window) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(token, "token");
    if (closed.get()) {
      return CompletableFuture.failedFuture(new DnsProviderException("embedded provider is closed", false));
    }
    if (!window.open()) {
      // one commit, no retries: the window is looked at once, before anything is proposed
      return CompletableFuture.failedFuture(window.closed(NAME, "zone commit"));
    }
    ZoneState now = store.current();
    FencingToken newest = newest(lastAccepted.get(), now.token());
    if (newest.isNewerThan(token)) {
      return CompletableFuture.failedFuture(new StaleTokenException(token, newest));
    }
    ZoneSnapshot actual = ZoneSnapshot.of(now);
    if (plan.basis().isPresent() && !plan.basis().get().token().equals(now.token())) {
      return CompletableFuture.failedFuture(outdated("the zone holds token " + now.token() + ", the plan was made"
          + " against " + plan.basis().get().token()));
    }
    for (RecordChange c : plan.changes()) {
      if (actual.weight(c.record(), c.region()) != c.from()) {
        return CompletableFuture.failedFuture(outdated(c.record() + " " + c.region() + " is "
            + actual.weight(c.record(), c.region()) + ", the plan expected " + c.from()));
      }
    }
    Map<String, Map<String, Integer>> after = plan.weightsAfter(actual);
    if (token.equals(newest) && !after.equals(now.weights())) {
      // the same token continuing is fine only when it changes nothing: one token, one decision
      return CompletableFuture.failedFuture(new StaleTokenException(token, newest));
    }
    return store.commit(after, token).thenApply(committed -> {
      lastAccepted.accumulateAndGet(committed.token(), EmbeddedDnsProvider::newest);
      return new ApplyResult(committed.token(), "serial-" + committed.serial(), clock.instant(), committed.weights());
    });
  }

  private static DnsProviderException outdated(String what) {
    return new DnsProviderException("the zone changed since this plan was made: " + what
        + "; read the zone again and plan again", false);
  }

  @Override
  public CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline) {
    FencingToken wanted = result.token();
    CompletableFuture<Void> live = new CompletableFuture<>();
    if (closed.get()) {
      live.completeExceptionally(new DnsProviderException("embedded provider is closed", false));
      return live;
    }
    waiters.put(live, wanted);
    // a commit between creating the waiter and registering it would otherwise be missed
    released(store.current());
    long millis = Math.max(0, deadline.toMillis());
    live.orTimeout(millis, TimeUnit.MILLISECONDS).whenComplete((ok, error) -> waiters.remove(live));
    return live.exceptionallyCompose(error -> CompletableFuture.failedFuture(error instanceof TimeoutException
        ? new DnsProviderException("change " + result.changeId() + " with token " + wanted + " is not live after "
            + deadline + ": the zone holds token " + store.current().token() + "; check that the controllers"
            + " have a Raft quorum", true, error)
        : error));
  }

  @Override
  public ProviderHealth health() {
    if (closed.get()) {
      return ProviderHealth.unhealthy("embedded provider is closed");
    }
    ZoneState now = store.current();
    return new ProviderHealth(ProviderHealth.State.UP, "embedded zone " + dns.zone() + " at serial " + now.serial()
        + ", token " + now.token(), "NONE", Map.of("serial", now.serial(), "waiters", (long) waiters.size()));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      waiters.keySet().forEach(w -> w.completeExceptionally(new DnsProviderException(
          "embedded provider closed while waiting for a change to go live", true)));
      waiters.clear();
    }
  }

  /** A newer token also counts: the zone already serves a later change than the one awaited. */
  private void released(ZoneState state) {
    waiters.forEach((waiter, token) -> {
      if (state.token().compareTo(token) >= 0) {
        waiter.complete(null);
      }
    });
  }

  private static FencingToken newest(FencingToken a, FencingToken b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
