package io.pharos.controller.act;

import io.pharos.controller.quorum.NotLeaderException;
import io.pharos.controller.quorum.PharosStateMachine;
import io.pharos.controller.quorum.Proposal;
import io.pharos.controller.quorum.RaftQuorum;
import io.pharos.core.decision.Decision;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentPhase;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.journal.JournalEntry;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's hands. Drives the one unfinished intent through its phases — fence (read-only
 * with the intent's token), shift DNS (with the same token), verify, complete — committing each
 * step to the journal, so that a successor that takes over mid-way continues exactly where it
 * stopped. Acts only while {@link RaftQuorum#isActingLeader()}; re-checks before every external
 * change. Runs on its own thread, woken by journal applies, leadership changes and a 1 s tick.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  static final Duration VERIFY_DEADLINE = Duration.ofSeconds(10);
  static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(3);

  private final String controllerId;
  private final Clock clock;
  private final RaftQuorum quorum;
  private final PharosStateMachine journal;
  private final ModePublisher modes;
  private final DnsProvider provider;
  private final DnsVerifier verifier;
  private final ZoneReconciler zone;
  private final ActionLog actions;
  private final boolean embedded;
  /** The outcome of the DNS change of the decision being verified, while this leader holds it. */
  private volatile ReconcileOutcome lastOutcome;
  private final long modeRenewMs;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pharos-reconcile");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean kicked = new AtomicBoolean();
  private final AtomicBoolean proposingIntent = new AtomicBoolean();
  /** decision id and phase whose journal entry is being committed; the step is not repeated meanwhile. */
  private volatile String stepInFlight;
  private long lastModePublish;
  private long lastLoggedRenewalTerm = -1;
  private long verifyingSince;
  private String verifying;

  public Reconciler(String controllerId, Clock clock, RaftQuorum quorum, PharosStateMachine journal,
      ModePublisher modes, DnsProvider provider, ZoneReconciler zone, DnsVerifier verifier, long modeLeaseMs,
      ActionLog actions) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.quorum = quorum;
    this.journal = journal;
    this.modes = modes;
    this.provider = provider;
    this.verifier = verifier;
    this.zone = zone;
    this.actions = actions;
    this.embedded = EmbeddedDnsProvider.NAME.equals(provider.name());
    this.modeRenewMs = Math.max(1_000, modeLeaseMs / 3);
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::runSafely, 200, 1_000, TimeUnit.MILLISECONDS);
  }

  /** Wakes the reconciler soon (coalesced). */
  public void kick() {
    if (kicked.compareAndSet(false, true)) {
      executor.execute(() -> {
        kicked.set(false);
        runSafely();
      });
    }
  }

  /**
   * Commits a decision as an intent, if this controller is the acting leader and no change is in
   * progress. Never blocks the caller.
   */
  public void propose(Decision d) {
    if (!quorum.isActingLeader() || journal.state().pending() != null || !proposingIntent.compareAndSet(false, true)) {
      return;
    }
    Intent intent = d.toIntent(quorum.term(), clock.millis(), controllerId);
    submit(intent).whenComplete((p, e) -> {
      proposingIntent.set(false);
      if (p != null && p.accepted()) {
        LOG.warn("decided {}: {} {} (token {}:{})", d.decisionId(), d.kind(), d.regions(), p.term(), p.index());
      }
      kick();
    });
  }

  /** Proposes any entry, logging refusals; the future never fails. */
  public CompletableFuture<Proposal> submit(JournalEntry e) {
    long start = System.nanoTime();
    String action = "propose-" + e.getClass().getSimpleName();
    String decisionId = decisionIdOf(e);
    return quorum.propose(e).handle((p, err) -> {
      LOG.debug("{} answered in {} ms", e.getClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000);
      actions.record(clock.millis(), action, e.proposerTerm(), decisionId, p == null ? null : p.term() + ":" + p.index(),
          err != null ? "failed: " + rootMessage(err) : p.accepted() ? "ok" : "refused: " + p.detail());
      if (err != null) {
        LOG.info("{} not committed: {}", e.getClass().getSimpleName(), rootMessage(err));
        return null;
      }
      if (!p.accepted()) {
        LOG.info("{} refused by the journal: {}", e.getClass().getSimpleName(), p.detail());
      }
      return p;
    });
  }

  private static String decisionIdOf(JournalEntry e) {
    if (e instanceof Intent i) {
      return i.decisionId();
    }
    if (e instanceof Fenced f) {
      return f.decisionId();
    }
    if (e instanceof DnsCommitted d) {
      return d.decisionId();
    }
    return e instanceof Completed c ? c.decisionId() : null;
  }

  private void publishModes(ControlState state, String decisionId) {
    try {
      modes.publish(state);
      long term = quorum.term();
      // renewals are logged once per term (the first one is what a deposed leader could repeat)
      if (decisionId != null || term != lastLoggedRenewalTerm) {
        actions.record(clock.millis(), "publish-modes", term, decisionId, state.lastToken().toString(), "ok");
        lastLoggedRenewalTerm = term;
      }
    } catch (ModePublisher.StaleLeaderException e) {
      actions.record(clock.millis(), "publish-modes", quorum.term(), decisionId, state.lastToken().toString(),
          "stale: " + e.getMessage());
      throw e;
    }
    lastModePublish = clock.millis();
  }

  private void runSafely() {
    try {
      reconcile();
    } catch (ModePublisher.StaleLeaderException e) {
      LOG.warn("stopped acting: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("reconcile step failed; will retry", e);
    }
  }

  private void reconcile() {
    if (!quorum.isActingLeader()) {
      verifying = null;
      return;
    }
    ControlState state = journal.state();
    long now = clock.millis();
    if (now - lastModePublish >= modeRenewMs) {
      publishModes(state, null);
    }
    IntentRecord pending = state.pending();
    if (pending == null) {
      if (!embedded && zone.due()) {
        // the periodic pass: what the provider serves vs what the journal committed
        zone.reconcile(state.zone().weights(), state.zone().token()).whenComplete((o, e) -> {
          if (e != null) {
            LOG.warn("periodic DNS reconciliation failed: {}", rootMessage(e));
          } else if (!o.drift().isEmpty() || !o.rejected().isEmpty()) {
            LOG.warn("{}", o.describe());
          }
        });
      }
      return;
    }
    String id = pending.intent().decisionId();
    if ((id + "/" + pending.phase()).equals(stepInFlight)) {
      return;
    }
    switch (pending.phase()) {
      case COMMITTED -> fence(state, id);
      case FENCED -> shiftDns(pending);
      case SHIFTED -> verify(pending);
      default -> { }
    }
  }

  private void fence(ControlState state, String id) {
    if (!quorum.isActingLeader()) {
      return;
    }
    // a pause here (GC, SIGSTOP) is exactly the check-then-act gap receivers must fence against
    holdForFaultInjection();
    publishModes(state, id);
    if (quorum.isActingLeader()) {
      inFlight(id, IntentPhase.COMMITTED, submit(new Fenced(id, quorum.term(), clock.millis(), controllerId)));
    }
  }

  /** Marks a phase step as committing until its entry is answered, then wakes the loop. */
  private void inFlight(String id, IntentPhase phase, CompletableFuture<?> commit) {
    String key = id + "/" + phase;
    stepInFlight = key;
    commit.whenComplete((r, e) -> {
      if (key.equals(stepInFlight)) {
        stepInFlight = null;
      }
      kick();
    });
  }

  private void shiftDns(IntentRecord pending) {
    Intent intent = pending.intent();
    if (!quorum.isActingLeader()) {
      return;
    }
    LOG.info("applying DNS for {} with token {}", intent.decisionId(), pending.token());
    ReconcileOutcome outcome;
    try {
      outcome = zone.applyDecision(intent.weights(), pending.token()).join();
      actions.record(clock.millis(), "dns-apply", quorum.term(), intent.decisionId(), pending.token().toString(),
          "ok: " + outcome.changeIds());
    } catch (RuntimeException e) {
      actions.record(clock.millis(), "dns-apply", quorum.term(), intent.decisionId(), pending.token().toString(),
          "failed: " + rootMessage(e));
      LOG.warn("DNS change for {} failed, will retry: {}", intent.decisionId(), rootMessage(e));
      return;
    }
    lastOutcome = outcome;
    LOG.info("{}", outcome.describe());
    // the embedded provider journals the change itself; others are recorded here
    IntentRecord now = journal.state().pending();
    if (now != null && now.phase() == IntentPhase.FENCED && now.intent().decisionId().equals(intent.decisionId())) {
      submit(new DnsCommitted(intent.decisionId(), provider.name(), outcome.weightsAfter(),
          outcome.changeIds().isEmpty() ? null : outcome.changeIds(), quorum.term(), clock.millis(), controllerId))
          .join();
    }
    kick();
  }

  /**
   * Whether the provider serves the change: the embedded zone is asked on every name server; a
   * remote provider is asked until it reports the change live (INSYNC), or, after a leader change
   * without the outcome in hand, read back until it holds the decision's token.
   */
  private String verifyRemote(IntentRecord pending) {
    ReconcileOutcome o = lastOutcome;
    try {
      if (o != null && o.token().equals(pending.token())) {
        zone.awaitLive(o).join();
        return provider.name() + " reports the change live (" + o.changeIds() + ")";
      }
      var actual = provider.read().join();
      if (actual.token().compareTo(pending.token()) >= 0) {
        return provider.name() + " holds token " + actual.token() + " (read back by a new leader)";
      }
      return null;
    } catch (RuntimeException e) {
      return "not confirmed live: " + rootMessage(e);
    }
  }

  private void verify(IntentRecord pending) {
    String id = pending.intent().decisionId();
    if (!id.equals(verifying)) {
      verifying = id;
      verifyingSince = clock.millis();
    }
    if (!embedded) {
      String detail = verifyRemote(pending);
      if (detail == null && clock.millis() - verifyingSince < VERIFY_DEADLINE.toMillis()) {
        executor.schedule(this::runSafely, 500, TimeUnit.MILLISECONDS);
        return;
      }
      if (quorum.isActingLeader()) {
        submit(new Completed(id, clock.millis(), false, detail == null ? "not confirmed live within "
            + VERIFY_DEADLINE.toSeconds() + " s" : detail, quorum.term(), clock.millis(), controllerId)).join();
        verifying = null;
      }
      return;
    }
    DnsVerifier.Result r = verifier.verify(journal.state().zone().weights());
    long elapsed = clock.millis() - verifyingSince;
    boolean timedOut = elapsed > VERIFY_DEADLINE.toMillis();
    // a name server that did not answer gets a little longer: it may only be slow
    boolean waitForSilent = !r.unreachable().isEmpty() && elapsed < UNREACHABLE_GRACE.toMillis();
    if ((!r.verified() || waitForSilent) && !timedOut) {
      executor.schedule(this::runSafely, 100, TimeUnit.MILLISECONDS);
      return;
    }
    String detail = r.describe() + (r.verified() ? "" : " (verification deadline passed)");
    if (quorum.isActingLeader()) {
      submit(new Completed(id, clock.millis(), false, detail, quorum.term(), clock.millis(), controllerId)).join();
      verifying = null;
    }
  }

  /**
   * Fault-injection point for the crash tests: {@code PHAROS_FAULT_HOLD_BEFORE_FENCE_MS} holds the
   * leader between committing an intent and executing it, so a test can kill it exactly there.
   * Unset in normal operation.
   */
  private static void holdForFaultInjection() {
    long ms = HOLD_BEFORE_FENCE_MS;
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final long HOLD_BEFORE_FENCE_MS =
      Long.parseLong(System.getenv().getOrDefault("PHAROS_FAULT_HOLD_BEFORE_FENCE_MS", "0"));

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof NotLeaderException ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
