package io.pharos.controller.failover;

import io.pharos.core.journal.IntentRecord;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Whether a decision's DNS change is live, asked without blocking: each call looks once and
 * answers VERIFIED, FAILED (deadline passed or a permanent error) or not yet. A zone served from
 * the journal ({@link DnsProvider#servedFromJournal()}) is checked on every controller's name server; a remote provider is asked until it reports the change live
 * (INSYNC), or, after a leader change without the outcome in hand, read back until it holds the
 * decision's token.
 */
final class LiveCheck {

  /** One look's answer. */
  record Answer(boolean done, boolean verified, String detail) {
    static final Answer NOT_YET = new Answer(false, false, "");
  }

  static final Duration JOURNAL_ZONE_DEADLINE = Duration.ofSeconds(10);
  static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(3);

  private final Clock clock;
  private final DnsProvider provider;
  private final ZoneReconciler zone;
  private final NameServerCheck nameServers;
  private final boolean servedFromJournal;
  private final Duration deadline;
  private String decisionId;
  private long since;
  private CompletableFuture<String> remote;

  LiveCheck(Clock clock, DnsProvider provider, ZoneReconciler zone, NameServerCheck nameServers, Duration remoteDeadline) {
    this.clock = clock;
    this.provider = provider;
    this.zone = zone;
    this.nameServers = nameServers;
    this.servedFromJournal = provider.servedFromJournal();
    this.deadline = servedFromJournal ? JOURNAL_ZONE_DEADLINE : remoteDeadline.plusSeconds(5);
  }

  /** Forgets the current check (leadership lost). */
  void reset() {
    decisionId = null;
    remote = null;
  }

  Answer look(IntentRecord pending, ReconcileOutcome outcome, Supplier<Map<String, Map<String, Integer>>> served) {
    String id = pending.intent().decisionId();
    if (!id.equals(decisionId)) {
      decisionId = id;
      since = clock.millis();
      remote = null;
    }
    long elapsed = clock.millis() - since;
    boolean timedOut = elapsed > deadline.toMillis();
    if (servedFromJournal) {
      DnsVerifier.Result r = nameServers.verify(served.get());
      boolean waitForSilent = !r.unreachable().isEmpty() && elapsed < UNREACHABLE_GRACE.toMillis();
      if (r.verified() && !waitForSilent) {
        return new Answer(true, true, r.describe());
      }
      return timedOut ? new Answer(true, r.verified(), r.describe() + " (verification deadline passed)")
          : Answer.NOT_YET;
    }
    if (remote == null) {
      remote = start(pending, outcome);
    }
    if (!remote.isDone()) {
      return timedOut ? new Answer(true, false, "not confirmed live within " + deadline.toSeconds() + " s")
          : Answer.NOT_YET;
    }
    try {
      String detail = remote.join();
      if (detail != null) {
        return new Answer(true, true, detail);
      }
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      boolean retryable = !(cause instanceof DnsProviderException p) || p.retryable();
      if (!retryable || timedOut) {
        return new Answer(true, false, "not confirmed live: " + cause.getMessage());
      }
    }
    remote = null; // look again next time
    return timedOut ? new Answer(true, false, "not confirmed live within " + deadline.toSeconds() + " s")
        : Answer.NOT_YET;
  }

  private CompletableFuture<String> start(IntentRecord pending, ReconcileOutcome outcome) {
    if (outcome != null && outcome.token().equals(pending.token())) {
      return zone.awaitLive(outcome).thenApply(v -> provider.name() + " reports the change live ("
          + outcome.changeIds() + ")");
    }
    return provider.read().thenApply(actual -> actual.token().compareTo(pending.token()) >= 0
        ? provider.name() + " holds token " + actual.token() + " (read back by a new leader)" : null);
  }
}
