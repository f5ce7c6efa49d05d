package io.pharos.dns.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.ProviderSettings.DriftPolicy;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.Drift;
import io.pharos.dns.DryRun;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.dns.Route53Api;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** Reconciliation against moto_server: drift found and reported or repaired, bisection, dry run. */
class Route53ReconcileTest {
  private Route53Harness h;
  private DnsConfig dns;
  private Route53Provider provider;
  private final FencingToken decided = new FencingToken(3, 7);

  @BeforeEach
  void setUp() {
    h = new Route53Harness();
    dns = h.newZone("d", Route53Fixtures.fast());
  }

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
    h.close();
  }

  private ZoneReconciler reconciler(DriftPolicy policy) {
    DnsConfig withPolicy = dns.withProvider("route53", new ProviderSettings(dns.settings().route53(),
        java.util.Optional.empty(), new ProviderSettings.Reconcile(Duration.ofSeconds(30), policy)));
    provider = h.provider(withPolicy);
    ZoneReconciler r = new ZoneReconciler(provider, withPolicy, Clock.systemUTC(), h.events::add);
    r.awaitLive(r.applyDecision(WeightPlan.base(dns), decided).join()).join();
    return r;
  }

  /** Somebody changes a weight and an address by hand in the console. */
  private void handEdit() {
    ResourceRecordSet b = h.recordSets(dns).stream()
        .filter(s -> s.name().startsWith("app.") && "b".equals(s.setIdentifier())).findFirst().orElseThrow();
    ResourceRecordSet changed = b.toBuilder().weight(99L).resourceRecords(r -> r.value("192.0.2.99")).build();
    h.direct.changeResourceRecordSets(r -> r.hostedZoneId(h.zoneId(dns)).changeBatch(c -> c.changes(x -> x
        .action("UPSERT").resourceRecordSet(changed))));
  }

  @Test
  void driftIsReportedAndLeftAloneWhenPolicySaysReport() {
    ZoneReconciler r = reconciler(DriftPolicy.REPORT);
    handEdit();
    h.proxy.clearLog();

    ReconcileOutcome o = r.reconcile(WeightPlan.base(dns), decided).join();

    assertThat(o.drift()).extracting(Drift::kind).contains(Drift.Kind.WEIGHT, Drift.Kind.TARGETS);
    assertThat(o.drift()).anyMatch(d -> d.record().equals("app." + dns.zone()) && d.region().equals("b"));
    assertThat(o.repaired()).isFalse();
    assertThat(h.count("ChangeResourceRecordSets")).isZero();
    assertThat(h.eventCodes()).contains(ProviderEvent.DRIFT);
    assertThat(h.events).filteredOn(e -> e.code().equals(ProviderEvent.DRIFT)).first()
        .matches(e -> e.message().contains("drift: report"));
    assertThat(r.counters()).containsEntry("drift_found", 1L);
  }

  @Test
  void driftIsPutBackInOneBatchWhenPolicySaysRepair() {
    ZoneReconciler r = reconciler(DriftPolicy.REPAIR);
    handEdit();
    h.proxy.clearLog();

    ReconcileOutcome o = r.reconcile(WeightPlan.base(dns), decided).join();
    r.awaitLive(o).join();

    assertThat(o.repaired()).isTrue();
    assertThat(h.count("ChangeResourceRecordSets")).isEqualTo(1);
    ResourceRecordSet b = h.recordSets(dns).stream()
        .filter(s -> s.name().startsWith("app.") && "b".equals(s.setIdentifier())).findFirst().orElseThrow();
    assertThat(b.weight()).isEqualTo(30L);
    assertThat(b.resourceRecords()).extracting(x -> x.value()).containsExactly("198.51.100.10");
    assertThat(r.reconcile(WeightPlan.base(dns), decided).join().drift()).isEmpty();
    assertThat(h.eventCodes()).contains(ProviderEvent.DRIFT_REPAIRED);
  }

  @Test
  void aBatchWithARejectedRecordIsBisectedTheRestAppliedAndTheBadOneNamed() {
    ZoneReconciler r = reconciler(DriftPolicy.REPORT);
    Route53Api.rejectBatchesContaining(h.proxy, "v6." + dns.zone());
    h.proxy.clearLog();
    Map<String, Map<String, Integer>> failover = WeightPlan.plan(dns, List.of("a")).orElseThrow();

    ReconcileOutcome o = r.applyDecision(failover, new FencingToken(3, 9)).join();
    r.awaitLive(o).join();

    // both sets of the bad record (a 1 -> 0, b 1 -> 2) are refused, each found on its own
    assertThat(o.rejected()).extracting(x -> x.record() + " " + x.region())
        .containsExactly("v6." + dns.zone() + " a", "v6." + dns.zone() + " b");
    assertThat(o.applied()).isNotEmpty();
    var now = provider.read().join();
    assertThat(now.weights().get("app." + dns.zone())).isEqualTo(failover.get("app." + dns.zone()));
    assertThat(now.weights().get("www." + dns.zone())).isEqualTo(failover.get("www." + dns.zone()));
    assertThat(now.weights().get("v6." + dns.zone())).isEqualTo(Map.of("a", 1, "b", 1));
    assertThat(now.token()).isEqualTo(new FencingToken(3, 9));
    assertThat(h.events).filteredOn(e -> e.code().equals(ProviderEvent.RECORD_REJECTED))
        .hasSize(2).allMatch(e -> e.message().contains("v6." + dns.zone()));
    // 6 sets, 2 bad: the full batch, then halves and quarters, far fewer than one batch per set
    assertThat(h.count("ChangeResourceRecordSets")).isLessThanOrEqualTo(7);
  }

  @Test
  void theDryRunPrintsTheChangeSetAndAppliesNothing() {
    reconciler(DriftPolicy.REPORT);
    h.proxy.clearLog();

    String out = DryRun.describe(provider, dns, DryRun.failover(dns, List.of("b")), "failover of b").join();

    assertThat(out).contains("provider route53", "app." + dns.zone() + " b 30 -> 0", "app." + dns.zone() + " a 50 -> ",
        "nothing was applied");
    assertThat(h.count("ChangeResourceRecordSets")).isZero();
    String evac = DryRun.describe(provider, dns, DryRun.evacuation(dns, "a", 50), "evacuation of a to 50 %").join();
    assertThat(evac).contains("app." + dns.zone() + " a 50 -> 25");
  }
}
