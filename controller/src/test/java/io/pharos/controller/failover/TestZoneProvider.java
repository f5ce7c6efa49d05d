package io.pharos.controller.failover;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.embedded.InMemoryZoneStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider over a zone store of its own (the embedded provider's logic), with calls counted,
 * applies that hang or run a hook when told, and the {@link #servedFromJournal} capability a test
 * chooses: by default it serves away from the journal, as Route 53 does.
 */
final class TestZoneProvider implements DnsProvider {
  private final EmbeddedDnsProvider zone;
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger applies = new AtomicInteger();
  volatile boolean hangApplies;
  volatile Runnable afterApply = () -> { };
  volatile boolean servedFromJournal;

  TestZoneProvider(DnsConfig dns, Clock clock) {
    this.zone = new EmbeddedDnsProvider(dns, InMemoryZoneStore.fromConfig(dns), clock);
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
    return zone.check();
  }

  @Override
  public CompletableFuture<ZoneSnapshot> read() {
    reads.incrementAndGet();
    return zone.read();
  }

  @Override
  public ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    return zone.plan(desired, actual);
  }

  @Override
  public CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token) {
    applies.incrementAndGet();
    if (hangApplies) {
      return new CompletableFuture<>();
    }
    return zone.apply(plan, token).whenComplete((r, e) -> afterApply.run());
  }

  @Override
  public CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline) {
    return zone.awaitLive(result, deadline);
  }

  @Override
  public ProviderHealth health() {
    return zone.health();
  }

  @Override
  public void close() {
    zone.close();
  }
}
