package io.pharos.dns.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.proxy.ApiFault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route 53 failure modes through the chaos proxy in front of moto_server: throttling, 503s,
 * slow answers. Retries stay within the budget, the breaker opens and closes, and no change is
 * lost: once the provider recovers, the change is applied.
 */
class Route53FaultTest {
  private Route53Harness h;
  private DnsConfig dns;
  private Route53Provider provider;
  private Map<String, Map<String, Integer>> failover;

  @BeforeEach
  void setUp() {
    h = new Route53Harness();
    Route53 fast = Route53Fixtures.fast();
    dns = h.newZone("f", fast);
    provider = h.provider(dns);
    provider.apply(provider.plan(WeightPlan.base(dns), provider.read().join()), new FencingToken(1, 1)).join();
    failover = WeightPlan.plan(dns, List.of("a")).orElseThrow();
  }

  @AfterEach
  void tearDown() {
    provider.close();
    h.close();
  }

  @Test
  void throttlingIsRetriedWithBackoffAndTheChangeGoesThrough() {
    ZoneSnapshot actual = provider.read().join();
    h.proxy.clearLog();
    var plan = provider.plan(failover, actual);
    // the next request (the fencing pre-check before the batch) is throttled once
    h.proxy.failNext(1, ApiFault.awsThrottle(1.0));

    ApplyResult r = provider.apply(plan, new FencingToken(1, 2)).join();

    assertThat(r.weights()).isEqualTo(failover);
    assertThat(provider.read().join().weights()).isEqualTo(failover);
    assertThat(provider.health().counters()).containsEntry("throttled", 1L).containsEntry("retries", 1L);
    assertThat(h.eventCodes()).contains(ProviderEvent.THROTTLED);
    // every attempt, the retry too, took a slot of the budget
    assertThat(provider.health().counters().get("budget_granted")).isEqualTo(provider.health().counters().get("requests"));
  }

  @Test
  void throttlingNeverOpensTheBreakerButFailsTheCallWhenItOutlastsTheAttempts() {
    ZoneSnapshot actual = provider.read().join();
    var plan = provider.plan(failover, actual);
    // every call throttled: more consecutive failed attempts than breakerFailures (3), yet the provider is up
    h.proxy.set(ApiFault.awsThrottle(1.0));

    assertThatThrownBy(() -> provider.apply(plan, new FencingToken(1, 2)).join()).cause()
        .isInstanceOf(DnsProviderException.class).matches(e -> ((DnsProviderException) e).retryable());
    assertThat(provider.health().breaker()).isEqualTo("CLOSED");
    assertThat(h.eventCodes()).contains(ProviderEvent.THROTTLED).doesNotContain(ProviderEvent.BREAKER_OPENED);
    assertThat(provider.health().counters()).containsEntry("throttled", 4L).containsEntry("retries", 3L);

    // the throttling stops: the next attempt of the reconciler goes through at once
    h.proxy.clear();
    ApplyResult r = provider.apply(plan, new FencingToken(1, 2)).join();
    assertThat(r.weights()).isEqualTo(failover);
  }

  @Test
  void slowAnswersTimeOutAndAreRetried() {
    ZoneSnapshot actual = provider.read().join();
    var plan = provider.plan(failover, actual);
    // the request timeout is 2 s; the first answer comes after 3 s
    h.proxy.failNext(1, ApiFault.slow(Duration.ofSeconds(3)));

    ApplyResult r = provider.apply(plan, new FencingToken(1, 2)).join();

    assertThat(r.token()).isEqualTo(new FencingToken(1, 2));
    assertThat(provider.read().join().weights()).isEqualTo(failover);
    assertThat(provider.health().counters().get("failed_transient")).isGreaterThanOrEqualTo(1L);
  }

  @Test
  void fiveHundredThreesOpenTheBreakerWhichClosesAfterRecoveryAndNothingIsLost() {
    ZoneSnapshot actual = provider.read().join();
    var plan = provider.plan(failover, actual);
    h.proxy.set(ApiFault.errors(1.0, 503));

    // 3 consecutive failures open the breaker (Route53Fixtures: breakerFailures 3, maxAttempts 4)
    assertThatThrownBy(() -> provider.apply(plan, new FencingToken(1, 2)).join()).cause()
        .isInstanceOf(DnsProviderException.class).matches(e -> ((DnsProviderException) e).retryable());
    assertThat(provider.health().breaker()).isEqualTo("OPEN");
    assertThat(provider.health().state()).isEqualTo(ProviderHealth.State.DOWN);
    assertThat(h.eventCodes()).contains(ProviderEvent.BREAKER_OPENED);
    int seen = h.count("ListResourceRecordSets") + h.count("ChangeResourceRecordSets");

    // while open, calls fail fast without reaching the provider
    assertThatThrownBy(() -> provider.apply(plan, new FencingToken(1, 2)).join()).cause()
        .hasMessageContaining("circuit breaker is OPEN");
    assertThat(h.count("ListResourceRecordSets") + h.count("ChangeResourceRecordSets")).isEqualTo(seen);

    // the provider recovers; the reconciler's retries get the same change through
    h.proxy.clear();
    AtomicReference<ApplyResult> applied = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      try {
        applied.set(provider.apply(plan, new FencingToken(1, 2)).join());
        return true;
      } catch (CompletionException e) {
        return false;
      }
    });
    assertThat(provider.health().breaker()).isEqualTo("CLOSED");
    assertThat(h.eventCodes()).contains(ProviderEvent.BREAKER_CLOSED);
    assertThat(provider.read().join().weights()).isEqualTo(failover);
    assertThat(provider.read().join().token()).isEqualTo(new FencingToken(1, 2));
  }
}
