package io.pharos.dns.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A DNS change has a window: once the caller gives it up (the leader aborts the decision, or the
 * change's deadline passes) no further attempt reaches Route 53, however many retries were left.
 */
class Route53ChangeWindowTest {
  /** Six attempts 200-400 ms apart, a breaker that does not open on the way: retries would go on for ~2 s. */
  private static final Route53 PATIENT = new Route53(Optional.empty(), "us-east-1", Optional.empty(), 5,
      Duration.ofSeconds(10), Duration.ofMillis(100), 6, Duration.ofMillis(400), Duration.ofMillis(400),
      Duration.ofSeconds(2), 20, Duration.ofSeconds(5), 60);

  private Route53Harness h;
  private DnsConfig dns;
  private Route53Provider provider;
  private ZoneReconciler zone;
  private Map<String, Map<String, Integer>> failover;

  @BeforeEach
  void setUp() {
    h = new Route53Harness();
    dns = h.newZone("w", PATIENT);
    provider = h.provider(dns);
    zone = new ZoneReconciler(provider, dns, Clock.systemUTC(), h.events::add);
    zone.applyDecision(WeightPlan.base(dns), new FencingToken(1, 1)).join();
    failover = WeightPlan.plan(dns, List.of("a")).orElseThrow();
  }

  @AfterEach
  void tearDown() {
    provider.close();
    h.close();
  }

  private int changesSent() {
    return Route53Api.count(h.proxy.exchanges(), Route53Api.CHANGE);
  }

  @Test
  void aCancelledChangeSendsNoFurtherAttempt() {
    h.proxy.clearLog();
    // Route 53 answers every change batch with 503 (reads go through)
    h.proxy.refuse(c -> "POST".equals(c.method()) && c.path().contains("/rrset"), 503, "unavailable");
    CompletableFuture<ReconcileOutcome> change = zone.applyDecision(failover, new FencingToken(1, 5));
    await().atMost(Duration.ofSeconds(10)).until(() -> changesSent() >= 1);

    change.cancel(false); // the leader aborts the decision
    int atCancel = changesSent();

    // what was on its way may still arrive; nothing is sent after it
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> changesSent() <= atCancel + 1);
    assertThat(provider.health().counters().get("requests_ChangeResourceRecordSets")).isLessThanOrEqualTo(atCancel + 1);
  }

  @Test
  void aChangeSendsNothingAfterItsDeadlineAndFailsWithIt() {
    h.proxy.clearLog();
    h.proxy.refuse(c -> "POST".equals(c.method()) && c.path().contains("/rrset"), 503, "unavailable");
    ChangeWindow window = ChangeWindow.of(Clock.systemUTC(), Duration.ofMillis(1_200));

    assertThatThrownBy(() -> zone.applyDecision(failover, new FencingToken(1, 5), window).join())
        .hasMessageContaining("window");
    long deadline = window.deadline().toEpochMilli();
    List<HttpChaosProxy.Exchange> changes = h.proxy.exchanges().stream().filter(Route53Api::isChange).toList();
    assertThat(changes).isNotEmpty().hasSizeLessThan(PATIENT.maxAttempts())
        .allSatisfy(e -> assertThat(e.at()).isLessThanOrEqualTo(deadline));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> changesSent() == changes.size());
    assertThat(provider.health().counters()).containsKey("window_closed");
  }

  @Test
  void aChangeOfAnAbortedDecisionThatLandedLateIsPutBackUnderItsOwnToken() {
    FencingToken zoneToken = new FencingToken(1, 1);
    FencingToken aborted = new FencingToken(1, 5);
    // the decision under 1:5 was aborted (the journal kept the base weights), but its change landed
    zone.applyDecision(failover, aborted).join();
    h.events.clear();

    ReconcileOutcome o = zone.reconcile(WeightPlan.base(dns), zoneToken, aborted).join();

    assertThat(o.repaired()).as("put back whatever dns.reconcile.drift says (report here)").isTrue();
    assertThat(provider.read().join().weights()).isEqualTo(WeightPlan.base(dns));
    assertThat(provider.read().join().token()).isEqualTo(aborted);
    assertThat(h.events).filteredOn(e -> e.code().equals(ProviderEvent.DRIFT)).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("of a decision the journal aborted"));
    assertThat(zone.counters()).containsEntry("late_changes", 1L);
    // and nothing is left to repair: the aborted decision's token is no drift of its own
    assertThat(zone.reconcile(WeightPlan.base(dns), zoneToken, aborted).join().drift()).isEmpty();

    // a token the journal never issued is another writer's: reported, never overwritten
    zone.applyDecision(failover, new FencingToken(2, 9)).join();
    ReconcileOutcome foreign = zone.reconcile(WeightPlan.base(dns), zoneToken, aborted).join();
    assertThat(foreign.repaired()).isFalse();
    assertThat(provider.read().join().weights()).isEqualTo(failover);
  }
}
