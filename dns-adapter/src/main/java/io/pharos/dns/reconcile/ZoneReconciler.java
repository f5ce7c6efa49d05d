package io.pharos.dns.reconcile;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings.DriftPolicy;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.Drift;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.ProviderEvent.Severity;
import io.pharos.dns.RecordRepair;
import io.pharos.dns.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation for one provider, on every decision and periodically: read what is served,
 * compare with what the journal says, apply the minimal change. Differences no decision explains
 * are drift: reported (event + counter) and put back only when {@code dns.reconcile.drift} is
 * {@code repair}. A batch the provider rejects as invalid is bisected ({@link BatchBisector}): the
 * rest is applied and the offending record is alerted by name.
 *
 * <p>Holds no thread and no decision logic; the caller (the leader's loop) decides when to call,
 * passes the desired weights and token from the journal, and acts only while it is the leader.
 * Time comes from the injected clock.
 */
public final class ZoneReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneReconciler.class);
  private static final int DRIFT_ITEMS_IN_ALERT = 10;

  private final DnsProvider provider;
  private final DnsConfig dns;
  private final Clock clock;
  private final Consumer<ProviderEvent> events;
  private final Duration interval;
  private final DriftPolicy policy;
  private final AtomicReference<Instant> lastPass = new AtomicReference<>(Instant.MIN);
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  public ZoneReconciler(DnsProvider provider, DnsConfig dns, Clock clock, Consumer<ProviderEvent> events) {
    this.provider = provider;
    this.dns = dns;
    this.clock = clock;
    this.events = events;
    this.interval = dns.settings().reconcile().interval();
    this.policy = dns.settings().reconcile().drift();
  }

  /** Whether a periodic pass is due: {@code dns.reconcile.interval} since the last pass began. */
  public boolean due() {
    return !clock.instant().isBefore(nextRunAt());
  }

  /** When the next periodic pass is due. */
  public Instant nextRunAt() {
    Instant last = lastPass.get();
    return last.equals(Instant.MIN) ? Instant.MIN : last.plus(interval);
  }

  /**
   * Carries out a decision: read, plan {@code desired}, apply under {@code token} (bisecting a
   * rejected batch). Does not wait for the change to be live ({@link #awaitLive}). Cancelling the
   * returned future stops the change: no attempt of it is sent after that.
   */
  public CompletableFuture<ReconcileOutcome> applyDecision(Map<String, Map<String, Integer>> desired,
      FencingToken token) {
    return applyDecision(desired, token, null);
  }

  /**
   * As {@link #applyDecision(Map, FencingToken)}, within {@code window} (null: one of its own,
   * without a deadline): every attempt of the change, retries included, is sent only while the
   * window is open. Cancelling the returned future cancels the window.
   */
  public CompletableFuture<ReconcileOutcome> applyDecision(Map<String, Map<String, Integer>> desired,
      FencingToken token, ChangeWindow window) {
    ChangeWindow w = window != null ? window : ChangeWindow.of(clock, java.time.Duration.ofDays(3650));
    lastPass.set(clock.instant());
    CompletableFuture<ReconcileOutcome> change = provider.read().thenCompose(actual -> {
      ChangePlan plan = provider.plan(desired, actual);
      return BatchBisector.apply(plan, token, (p, t) -> provider.apply(p, t, w)).thenApply(r -> outcome(
          ReconcileOutcome.Trigger.DECISION, token, actual, plan, r, List.of(), !plan.isEmpty()));
    });
    change.whenComplete((o, e) -> {
      if (change.isCancelled()) {
        w.cancel("the change for token " + token + " was cancelled by its caller");
      }
    });
    return change;
  }

  /**
   * The periodic pass, as {@link #reconcile(Map, FencingToken, FencingToken)} when the journal
   * issued no token after its zone's.
   */
  public CompletableFuture<ReconcileOutcome> reconcile(Map<String, Map<String, Integer>> desired,
      FencingToken journalToken) {
    return reconcile(desired, journalToken, journalToken);
  }

  /**
   * The periodic pass: {@code desired} and {@code journalToken} are the journal's committed zone
   * (weights and the token of the last applied decision), {@code lastIssued} the newest token the
   * journal gave a decision. Call it only while no decision is being carried out (an intent in
   * flight is the executor's job, not drift): then every decision up to {@code lastIssued} is
   * finished, and a provider token after the zone's but not after {@code lastIssued} is that of a
   * decision that was aborted — a change of ours that landed after its abort. That is put back to
   * the journal's zone whatever {@code dns.reconcile.drift} says (it is no foreign change), under
   * the provider's own token (the change's continuation). A token after {@code lastIssued} is
   * another writer's: reported, never overwritten.
   */
  public CompletableFuture<ReconcileOutcome> reconcile(Map<String, Map<String, Integer>> desired,
      FencingToken journalToken, FencingToken lastIssued) {
    lastPass.set(clock.instant());
    count("passes");
    return provider.read().thenCompose(actual -> {
      boolean lateAbort = actual.token().isNewerThan(journalToken) && !actual.token().isNewerThan(lastIssued);
      FencingToken writeWith = lateAbort ? actual.token() : journalToken;
      List<Drift> drift = drift(desired, journalToken, lastIssued, actual);
      if (drift.isEmpty()) {
        return CompletableFuture.completedFuture(new ReconcileOutcome(ReconcileOutcome.Trigger.PERIODIC,
            journalToken, actual, ChangePlan.between(Map.of(), actual), List.of(), List.of(), drift, false,
            actual.weights()));
      }
      count("drift_found");
      counters.computeIfAbsent("drift_items", k -> new LongAdder()).add(drift.size());
      boolean canRepair = !actual.token().isNewerThan(lastIssued);
      boolean repair = lateAbort || policy == DriftPolicy.REPAIR;
      if (lateAbort) {
        count("late_changes");
      }
      event(Severity.WARNING, ProviderEvent.DRIFT, provider.name() + " zone " + dns.zone() + " drifted from the"
          + " journal (" + drift.size() + " items): " + summary(drift) + (lateAbort
              ? "; the provider holds token " + actual.token() + " of a decision the journal aborted (its change"
                  + " landed after the abort): putting the journal's zone back"
              : policy == DriftPolicy.REPAIR && canRepair ? "; putting it back (dns.reconcile.drift: repair)"
                  : canRepair ? "; left as is (dns.reconcile.drift: report); fix by hand or set drift: repair"
                      : "; not repairable: the provider holds a newer token than this controller's journal"));
      List<RecordRepair> repairs = repairs(dns, drift);
      ChangePlan plan = ChangePlan.between(desired, actual, repairs);
      if (!repair || !canRepair || plan.isEmpty()) {
        return CompletableFuture.completedFuture(new ReconcileOutcome(ReconcileOutcome.Trigger.PERIODIC,
            journalToken, actual, plan, List.of(), List.of(), drift, false, actual.weights()));
      }
      provider.plan(desired, actual); // the same checks as a decision (records and regions exist)
      return BatchBisector.apply(plan, writeWith, provider::apply).thenApply(r -> {
        count("drift_repaired");
        event(Severity.INFO, ProviderEvent.DRIFT_REPAIRED, provider.name() + " zone " + dns.zone() + " put back: "
            + plan.describe().replace('\n', ';'));
        return outcome(ReconcileOutcome.Trigger.PERIODIC, writeWith, actual, plan, r, drift, true);
      });
    });
  }

  /** Completes when every accepted batch of the outcome is live, within the provider's deadline. */
  public CompletableFuture<Void> awaitLive(ReconcileOutcome outcome) {
    Duration deadline = DnsProviders.liveDeadline(dns);
    CompletableFuture<?>[] waits = outcome.applied().stream().map(a -> provider.awaitLive(a, deadline))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(waits);
  }

  /** Counters for metrics: passes, drift_found, drift_items, drift_repaired, records_rejected. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private ReconcileOutcome outcome(ReconcileOutcome.Trigger trigger, FencingToken token, ZoneSnapshot before,
      ChangePlan plan, BatchBisector.Result r, List<Drift> drift, boolean repaired) {
    for (Rejected rejected : r.rejected()) {
      count("records_rejected");
      event(Severity.CRITICAL, ProviderEvent.RECORD_REJECTED, provider.name() + " rejected record " + rejected.record()
          + " (" + rejected.region() + ") of zone " + dns.zone() + "; the rest of the change was applied. Fix the"
          + " record in the config (dns.records) or at the provider: " + rejected.reason());
    }
    ReconcileOutcome o = new ReconcileOutcome(trigger, token, before, plan, r.applied(), r.rejected(), drift, repaired,
        r.after().weights());
    LOG.info("{}", o.describe());
    return o;
  }

  /**
   * Pure: every difference between {@code actual} and the journal's zone that no decision explains:
   * weights that differ, the provider's own findings (targets, TTL, missing, unexpected sets), and
   * a fencing token other than the journal's.
   */
  public static List<Drift> drift(Map<String, Map<String, Integer>> desired, FencingToken journalToken,
      ZoneSnapshot actual) {
    return drift(desired, journalToken, journalToken, actual);
  }

  /**
   * As {@link #drift(Map, FencingToken, ZoneSnapshot)}, where a provider token after the zone's
   * but not after {@code lastIssued} (an aborted decision of this journal, whose change landed
   * late) is no fencing drift of its own: the weights it brought are.
   */
  public static List<Drift> drift(Map<String, Map<String, Integer>> desired, FencingToken journalToken,
      FencingToken lastIssued, ZoneSnapshot actual) {
    List<Drift> out = new ArrayList<>();
    new TreeMap<>(desired).forEach((record, regions) -> new TreeMap<>(regions).forEach((region, weight) -> {
      int served = actual.weight(record, region);
      if (served != weight) {
        out.add(new Drift(record, region, Drift.Kind.WEIGHT, "weight " + served + ", the journal says " + weight));
      }
    }));
    out.addAll(actual.drift());
    boolean aborted = actual.token().isNewerThan(journalToken) && !actual.token().isNewerThan(lastIssued);
    if (!actual.token().equals(journalToken) && !aborted) {
      out.add(new Drift("(fencing record)", "", Drift.Kind.FENCING, "the provider holds token " + actual.token()
          + ", the journal's last applied decision is " + journalToken + (actual.token().isNewerThan(journalToken)
              ? ": another writer (a second Pharos, a restored backup?) changed this zone" : "")));
    }
    return out;
  }

  /** Pure: the record sets to rewrite from the config for the repairable drift. */
  public static List<RecordRepair> repairs(DnsConfig dns, List<Drift> drift) {
    List<RecordRepair> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Drift d : drift) {
      if (!d.repairable() || d.kind() == Drift.Kind.WEIGHT) {
        continue; // weights are put back by the plan itself
      }
      List<String> regions = d.region().isEmpty()
          ? dns.record(d.record()).map(RecordConfig::regions).map(List::copyOf).orElse(List.of())
          : List.of(d.region());
      for (String region : regions) {
        if (seen.add(d.record() + " " + region)) {
          out.add(new RecordRepair(d.record(), region, d.kind().name().toLowerCase() + ": " + d.detail()));
        }
      }
    }
    return out;
  }

  private static String summary(List<Drift> drift) {
    String head = drift.stream().limit(DRIFT_ITEMS_IN_ALERT).map(Drift::toString).collect(Collectors.joining("; "));
    return drift.size() > DRIFT_ITEMS_IN_ALERT ? head + "; and " + (drift.size() - DRIFT_ITEMS_IN_ALERT) + " more"
        : head;
  }

  private void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  private void event(Severity severity, String code, String message) {
    ProviderEvent e = new ProviderEvent(clock.instant(), provider.name(), severity, code, message);
    if (severity == Severity.INFO) {
      LOG.info("{}", e);
    } else {
      LOG.warn("{}", e);
    }
    try {
      events.accept(e);
    } catch (RuntimeException ex) {
      LOG.error("reconcile event listener failed for {}", code, ex);
    }
  }
}
