package io.pharos.dns.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.Drift;
import io.pharos.dns.InvalidChangeException;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.RecordRepair;
import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.contract.DnsProviderContract;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.embedded.InMemoryZoneStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The pure parts of reconciliation: drift, repairs, bisection, scheduling with a fake clock. */
class ZoneReconcilerTest {
  private final DnsConfig dns = DnsProviderContract.config("embedded", "pure.pharos.test");
  private final String app = "app.pure.pharos.test";
  private final Map<String, Map<String, Integer>> base = WeightPlan.base(dns);

  @Test
  void driftListsWeightsTheProvidersFindingsAndAForeignToken() {
    ZoneSnapshot actual = new ZoneSnapshot(io.pharos.dns.TestZones.with(base, app, "b", 99), new FencingToken(9, 9), 0,
        List.of(new Drift(app, "c", Drift.Kind.TARGETS, "serves [192.0.2.99]")));

    List<Drift> drift = ZoneReconciler.drift(base, new FencingToken(3, 1), actual);

    assertThat(drift).extracting(Drift::kind).containsExactly(Drift.Kind.WEIGHT, Drift.Kind.TARGETS,
        Drift.Kind.FENCING);
    assertThat(drift.get(0).detail()).isEqualTo("weight 99, the journal says 30");
    assertThat(drift.get(2).detail()).contains("another writer");
    assertThat(ZoneReconciler.drift(base, FencingToken.NONE, new ZoneSnapshot(base, FencingToken.NONE, 0))).isEmpty();
  }

  @Test
  void repairsRewriteDriftedSetsButNeverForeignOnesOrTheFencingRecord() {
    List<RecordRepair> repairs = ZoneReconciler.repairs(dns, List.of(
        new Drift(app, "c", Drift.Kind.TARGETS, "x"),
        new Drift("www.pure.pharos.test", "", Drift.Kind.MISSING, "whole record"),
        new Drift(app, "manual", Drift.Kind.UNEXPECTED, "y"),
        new Drift(app, "b", Drift.Kind.WEIGHT, "z"),
        new Drift("(fencing record)", "", Drift.Kind.FENCING, "w")));

    assertThat(repairs).extracting(r -> r.record() + " " + r.region())
        .containsExactly(app + " c", "www.pure.pharos.test a", "www.pure.pharos.test b");
  }

  /** A provider that rejects any batch touching a record name, like Route 53 with one bad record. */
  private static final class Rejecting {
    final List<ChangePlan> sent = new ArrayList<>();
    final String bad;

    Rejecting(String bad) {
      this.bad = bad;
    }

    CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token) {
      sent.add(plan);
      if (plan.touched().stream().anyMatch(t -> t.startsWith(bad + " "))) {
        return CompletableFuture.failedFuture(new InvalidChangeException("bad record " + bad, null));
      }
      return CompletableFuture.completedFuture(new ApplyResult(token, "c" + sent.size(), Instant.EPOCH,
          plan.weightsAfter()));
    }
  }

  @Test
  void bisectionAppliesEverythingButTheBadRecordAndNamesIt() {
    ZoneSnapshot actual = new ZoneSnapshot(Map.of(), FencingToken.NONE, 0);
    ChangePlan plan = ChangePlan.between(base, actual);
    Rejecting p = new Rejecting("v6.pure.pharos.test");

    BatchBisector.Result r = BatchBisector.apply(plan, new FencingToken(1, 1), p::apply).join();

    assertThat(r.rejected()).extracting(x -> x.record() + " " + x.region())
        .containsExactly("v6.pure.pharos.test a", "v6.pure.pharos.test b");
    assertThat(r.after().weights().get(app)).isEqualTo(base.get(app));
    assertThat(r.after().weights().get("www.pure.pharos.test")).isEqualTo(base.get("www.pure.pharos.test"));
    assertThat(r.after().weights()).doesNotContainKey("v6.pure.pharos.test");
    assertThat(r.after().token()).isEqualTo(new FencingToken(1, 1));
    // later parts continue from what the earlier parts wrote (the basis moves along)
    assertThat(p.sent.get(p.sent.size() - 1).requireBasis().token()).isEqualTo(new FencingToken(1, 1));
    assertThat(p.sent).hasSizeLessThanOrEqualTo(7);
  }

  @Test
  void whenEveryRecordIsRejectedTheTokenIsStillRecorded() {
    DnsConfig one = new DnsConfig("embedded", "pure.pharos.test", List.of(dns.records().get(0)));
    ChangePlan plan = ChangePlan.between(WeightPlan.base(one), new ZoneSnapshot(Map.of(), FencingToken.NONE, 0));
    Rejecting p = new Rejecting(app);

    BatchBisector.Result r = BatchBisector.apply(plan, new FencingToken(2, 2), p::apply).join();

    assertThat(r.rejected()).hasSize(3);
    assertThat(r.applied()).singleElement().matches(a -> a.token().equals(new FencingToken(2, 2)));
    assertThat(p.sent.get(p.sent.size() - 1).isEmpty()).isTrue();
  }

  @Test
  void otherFailuresStopTheBisection() {
    ChangePlan plan = ChangePlan.between(base, new ZoneSnapshot(Map.of(), FencingToken.NONE, 0));

    assertThatThrownBy(() -> BatchBisector.apply(plan, new FencingToken(1, 1), (pl, t) ->
        CompletableFuture.failedFuture(new DnsProviderException("throttled", true))).join())
        .cause().hasMessage("throttled");
  }

  @Test
  void periodicPassesAreDueByTheInjectedClockAndTheEmbeddedZoneNeverDrifts() {
    MutableClock clock = new MutableClock();
    List<ProviderEvent> events = new CopyOnWriteArrayList<>();
    DnsConfig withInterval = dns.withProvider("embedded", new ProviderSettings(java.util.Optional.empty(),
        java.util.Optional.empty(), new ProviderSettings.Reconcile(Duration.ofSeconds(30),
            ProviderSettings.DriftPolicy.REPAIR)));
    InMemoryZoneStore store = InMemoryZoneStore.fromConfig(withInterval);
    ZoneReconciler r = new ZoneReconciler(new EmbeddedDnsProvider(withInterval, store, clock), withInterval, clock,
        events::add);

    assertThat(r.due()).isTrue();
    ReconcileOutcome decided = r.applyDecision(WeightPlan.plan(dns, List.of("c")).orElseThrow(),
        new FencingToken(1, 4)).join();
    r.awaitLive(decided).join();
    assertThat(r.due()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(r.due()).isTrue();

    ReconcileOutcome pass = r.reconcile(store.current().weights(), store.current().token()).join();
    assertThat(pass.drift()).isEmpty();
    assertThat(pass.applied()).isEmpty();
    assertThat(events).isEmpty();
    assertThat(decided.weightsAfter().get(app)).containsEntry("c", 0);
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
