package io.pharos.controller.failover;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.journal.ZoneState;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.FencingChecks;
import io.pharos.dns.PlanRules;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A zone served away from the journal, with the fencing rules remote providers follow (the shipped
 * {@link FencingChecks}: a plan against the held token, never an older token; the same token
 * continues a decision, as Route 53's batch counter allows). Calls are counted, every change's
 * window is kept, and applies hang, or are held and land when the test says (an attempt already on
 * the wire), or run a hook. By default it serves away from the journal, as Route 53 does.
 */
final class TestZoneProvider implements DnsProvider {
  private final DnsConfig dns;
  private final Clock clock;
  private volatile ZoneState zone;
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger applies = new AtomicInteger();
  final List<ChangeWindow> windows = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  volatile boolean hangApplies;
  volatile boolean holdApplies;
  volatile Runnable afterApply = () -> { };
  volatile boolean servedFromJournal;

  TestZoneProvider(DnsConfig dns, Clock clock) {
    this.dns = dns;
    this.clock = clock;
    this.zone = new ZoneState(WeightPlan.base(dns), FencingToken.NONE, 1);
  }

  @Override
  public String name() {
    return "test-zone";
  }

  @Override
  public boolean servedFromJournal() {
    return servedFromJournal;
  }

  @Override
  public CompletableFuture<ProviderHealth> check() {
    return CompletableFuture.completedFuture(health());
  }

  @Override
  public CompletableFuture<ZoneSnapshot> read() {
    reads.incrementAndGet();
    return CompletableFuture.completedFuture(ZoneSnapshot.of(zone));
  }

  /** What the zone serves now. */
  ZoneState served() {
    return zone;
  }

  @Override
  public ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    PlanRules.check(dns, desired);
    return ChangePlan.between(desired, actual);
  }

  @Override
  public CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token, ChangeWindow window) {
    applies.incrementAndGet();
    windows.add(window);
    if (hangApplies) {
      return new CompletableFuture<>();
    }
    if (!window.open()) {
      return CompletableFuture.failedFuture(window.closed(name(), "apply"));
    }
    if (holdApplies) {
      // sent, but the answer is slow: the change lands when the test releases it, window or not
      CompletableFuture<ApplyResult> later = new CompletableFuture<>();
      synchronized (held) {
        held.add(() -> land(plan, token).whenComplete((r, e) -> {
          if (e != null) {
            later.completeExceptionally(e);
          } else {
            later.complete(r);
          }
        }));
      }
      return later;
    }
    return land(plan, token).whenComplete((r, e) -> afterApply.run());
  }

  /** Lets every held change land, in order. */
  void releaseHeld() {
    List<Runnable> now;
    synchronized (held) {
      now = new ArrayList<>(held);
      held.clear();
    }
    now.forEach(Runnable::run);
  }

  private synchronized CompletableFuture<ApplyResult> land(ChangePlan plan, FencingToken token) {
    ZoneState now = zone;
    return FencingChecks.basis(name(), false, plan, token, now.token()).thenApply(basis -> {
      FencingChecks.checkHeld(now.token(), token, basis);
      Map<String, Map<String, Integer>> after = plan.weightsAfter(ZoneSnapshot.of(now));
      zone = new ZoneState(after, token, now.serial() + 1);
      return new ApplyResult(token, "change-" + zone.serial(), clock.instant(), after);
    });
  }

  @Override
  public CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public ProviderHealth health() {
    return new ProviderHealth(ProviderHealth.State.UP, "test zone", "CLOSED", Map.of());
  }

  @Override
  public void close() {
  }
}
