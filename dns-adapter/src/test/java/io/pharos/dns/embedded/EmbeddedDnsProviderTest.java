package io.pharos.dns.embedded;

import static io.pharos.dns.TestZones.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.TestZones;
import io.pharos.dns.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class EmbeddedDnsProviderTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private final DnsConfig dns = TestZones.pharosTest();
  private final InMemoryZoneStore store = InMemoryZoneStore.fromConfig(dns);
  private final EmbeddedDnsProvider provider = new EmbeddedDnsProvider(dns, store, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void readIsTheCommittedZone() {
    ZoneSnapshot snapshot = provider.read().join();

    assertThat(snapshot.weight(APP, "b")).isEqualTo(30);
    assertThat(snapshot.token()).isEqualTo(FencingToken.NONE);
    assertThat(snapshot.serial()).isEqualTo(1);
  }

  @Test
  void planIsMinimal() {
    ZoneSnapshot actual = provider.read().join();
    Map<String, Map<String, Integer>> desired = TestZones.with(actual.weights(), APP, "b", 0);

    ChangePlan plan = provider.plan(desired, actual);

    assertThat(plan.describe()).isEqualTo("app.pharos.test b 30 -> 0");
  }

  @Test
  void planRefusesRecordsAndRegionsTheZoneDoesNotServe() {
    ZoneSnapshot actual = provider.read().join();

    assertThatThrownBy(() -> provider.plan(Map.of("nope.pharos.test", Map.of("a", 1)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("not under dns.records");
    assertThatThrownBy(() -> provider.plan(Map.of(APP, Map.of("z", 1)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("region 'z'");
    assertThatThrownBy(() -> provider.plan(Map.of(APP, Map.of("a", 256)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("0..255");
  }

  @Test
  void applyCommitsUnderTheToken() {
    ZoneSnapshot actual = provider.read().join();
    ChangePlan plan = provider.plan(TestZones.with(actual.weights(), APP, "b", 0), actual);

    ApplyResult result = provider.apply(plan, new FencingToken(3, 12)).join();

    assertThat(result.token()).isEqualTo(new FencingToken(3, 12));
    assertThat(result.appliedAt()).isEqualTo(NOW);
    assertThat(result.changeId()).isEqualTo("serial-2");
    assertThat(result.weights().get(APP)).containsEntry("b", 0).containsEntry("a", 50);
    assertThat(store.current().weights().get(APP)).containsEntry("b", 0);
    provider.awaitLive(result, Duration.ofSeconds(5)).join();
  }

  @Test
  void aTokenNotNewerThanTheAcceptedOneIsRefusedNamingBoth() {
    ZoneSnapshot actual = provider.read().join();
    provider.apply(provider.plan(TestZones.with(actual.weights(), APP, "b", 0), actual), new FencingToken(3, 12)).join();
    ZoneSnapshot after = provider.read().join();
    ChangePlan back = provider.plan(TestZones.with(after.weights(), APP, "b", 30), after);

    for (FencingToken stale : new FencingToken[] {new FencingToken(3, 12), new FencingToken(2, 99)}) {
      assertThatThrownBy(() -> provider.apply(back, stale).join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(StaleTokenException.class)
          .hasMessageContaining(stale.toString()).hasMessageContaining("3:12");
    }
    assertThat(store.current().weights().get(APP)).containsEntry("b", 0);
  }

  @Test
  void anEmptyPlanWithANewerTokenStillRecordsTheToken() {
    ApplyResult result = provider.apply(ChangePlan.empty(), new FencingToken(4, 1)).join();

    assertThat(store.current().token()).isEqualTo(new FencingToken(4, 1));
    assertThat(result.weights()).isEqualTo(provider.read().join().weights());
    assertThat(provider.apply(ChangePlan.empty(), new FencingToken(3, 100))).isCompletedExceptionally();
  }

  @Test
  void aPlanMadeAgainstAnOutdatedReadIsRefused() {
    ZoneSnapshot old = provider.read().join();
    ChangePlan plan = provider.plan(TestZones.with(old.weights(), APP, "b", 0), old);
    store.commit(TestZones.with(old.weights(), APP, "b", 10), new FencingToken(5, 1)).join();

    assertThatThrownBy(() -> provider.apply(plan, new FencingToken(5, 2)).join())
        .cause().isInstanceOf(DnsProviderException.class)
        .hasMessageContaining("read the zone again and plan again");
  }

  @Test
  void awaitLiveWaitsForTheCommitOfTheToken() {
    ApplyResult future = new ApplyResult(new FencingToken(6, 1), "serial-9", NOW, Map.of());

    CompletableFuture<Void> live = provider.awaitLive(future, Duration.ofSeconds(10));
    assertThat(live).isNotDone();

    store.commit(store.current().weights(), new FencingToken(6, 1)).join();
    assertThat(live).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void awaitLiveFailsRetryablyAfterTheDeadline() {
    ApplyResult never = new ApplyResult(new FencingToken(7, 1), "serial-9", NOW, Map.of());

    assertThatThrownBy(() -> provider.awaitLive(never, Duration.ofMillis(50)).join())
        .cause().isInstanceOf(DnsProviderException.class)
        .hasMessageContaining("not live after PT0.05S")
        .matches(e -> ((DnsProviderException) e).retryable());
  }

  @Test
  void closeFailsPendingWaitsAndReportsUnhealthy() {
    CompletableFuture<Void> live = provider.awaitLive(
        new ApplyResult(new FencingToken(8, 1), "serial-9", NOW, Map.of()), Duration.ofSeconds(30));

    provider.close();
    provider.close();

    assertThat(live).isCompletedExceptionally();
    assertThat(provider.health().healthy()).isFalse();
  }
}
