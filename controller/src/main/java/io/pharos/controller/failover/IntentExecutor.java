package io.pharos.controller.failover;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.decision.Decision;
import io.pharos.core.journal.AlertRaised;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentPhase;
import io.pharos.core.journal.IntentRecord;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.reconcile.ReconcileOutcome;
import io.pharos.dns.reconcile.ZoneReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's hands. Drives the one unfinished intent through its phases — fence (read-only
 * with the intent's token), shift DNS (with the same token), verify, complete — committing each
 * step to the journal, so that a successor that takes over mid-way continues exactly where it
 * stopped. Acts only while {@link Journal#isActingLeader()}; re-checks before every external
 * change. Runs on its own thread, woken by journal applies, leadership changes and a 1 s tick;
 * nothing on it waits longer than a bounded timeout (mode renewals have their own thread). An
 * intent that cannot progress for {@link Timeouts#intentDeadline} is aborted and alerted, so one
 * stuck change never stops automation for good.
 *
 * <p>One DNS change per decision is in flight at a time, within a {@link ChangeWindow} of {@link
 * Timeouts#providerCall} (every attempt and retry of the provider included), which is shorter than
 * the intent deadline. The thread never blocks on it: each step looks whether it finished. An
 * abort cancels the change in flight before the abort is committed (no attempt is sent after
 * that); one already on the wire that still lands is put back by the periodic pass (the provider
 * then holds the aborted decision's token, which the journal issued: see {@link
 * ZoneReconciler#reconcile(java.util.Map, io.pharos.core.model.FencingToken,
 * io.pharos.core.model.FencingToken)}).
 */
public final class IntentExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IntentExecutor.class);
  private static final long HOLD_BEFORE_FENCE_MS =
      Long.parseLong(System.getenv().getOrDefault("PHAROS_FAULT_HOLD_BEFORE_FENCE_MS", "0"));

  /**
   * @param intentDeadline how long an intent may stay in one phase before it is aborted
   * @param providerCall the window of one DNS change, every attempt and retry at the provider
   *     included: given up (and started again) after it; shorter than {@code intentDeadline}, so
   *     that no attempt of a change is still under way when its decision is aborted for being stuck
   * @param live how long a provider may take to serve a change (its own deadline, see DnsProviders)
   */
  public record Timeouts(Duration intentDeadline, Duration providerCall, Duration live) {
    public Timeouts {
      if (providerCall.isNegative() || providerCall.isZero() || providerCall.compareTo(intentDeadline) >= 0) {
        throw new IllegalArgumentException("the DNS change window (" + providerCall + ") must be positive and"
            + " shorter than the intent deadline (" + intentDeadline + ")");
      }
    }

    public static Timeouts defaults(Duration live) {
      return new Timeouts(Duration.ofMinutes(3), Duration.ofSeconds(60), live);
    }
  }

  private final String controllerId;
  private final Clock clock;
  private final Journal journal;
  private final ModeRenewer modes;
  private final DnsProvider provider;
  private final ZoneReconciler zone;
  private final ActionLog actions;
  private final ErrorCounter errors;
  private final Timeouts timeouts;
  private final LiveCheck live;
  private final ScheduledExecutorService executor = DaemonThreads.single("pharos-execute");
  private final AtomicBoolean kicked = new AtomicBoolean();
  private final AtomicBoolean proposingIntent = new AtomicBoolean();
  /** Set by tests that drive every step with {@link #stepNow()}: no step runs by itself then. */
  private volatile boolean drivenByHand;
  /** The DNS change in flight (at most one), or null. Set on the executor's thread, cancelled from any. */
  private final AtomicReference<DnsApply> applying = new AtomicReference<>();
  /** The decision an abort is under way for: no change is started for it any more. */
  private volatile String aborting;
  /** decision id and phase whose journal entry is being committed; the step is not repeated meanwhile. */
  private volatile String stepInFlight;
  private volatile ReconcileOutcome lastOutcome;
  private ScheduledFuture<?> recheck;
  private String phaseKey;
  private long phaseSince;
  private String lastError = "";

  public IntentExecutor(String controllerId, Clock clock, Journal journal, ModeRenewer modes, DnsProvider provider,
      ZoneReconciler zone, NameServerCheck nameServers, Timeouts timeouts, ActionLog actions,
      ErrorCounter errors) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
    this.modes = modes;
    this.provider = provider;
    this.zone = zone;
    this.actions = actions;
    this.errors = errors;
    this.timeouts = timeouts;
    this.live = new LiveCheck(clock, provider, zone, nameServers, timeouts.live());
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::runSafely, 200, 1_000, TimeUnit.MILLISECONDS);
  }

  /** Wakes the executor soon (coalesced); nothing once it is closed (Raft tells of leadership while it stops). */
  public void kick() {
    if (!drivenByHand && !executor.isShutdown() && kicked.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          kicked.set(false);
          runSafely();
        });
      } catch (RejectedExecutionException closedMeanwhile) {
        kicked.set(false);
      }
    }
  }

  /** Publishes the journal's modes soon (an operator changed a mode without an intent). */
  void publishModes() {
    modes.renewSoon();
  }

  /**
   * Steps only when {@link #stepNow()} is called: no wake-ups from commits, leadership or rechecks
   * (a test that looks between two steps would otherwise race the executor's own next step).
   */
  IntentExecutor drivenByHand() {
    drivenByHand = true;
    return this;
  }

  /** Runs one step on the executor's own thread; completes when it has (tests drive the executor with it). */
  CompletableFuture<Void> stepNow() {
    return CompletableFuture.runAsync(this::runSafely, executor);
  }

  /** Runs again after {@code ms}, once (repeated requests while one is pending are merged). */
  private void recheckIn(long ms) {
    if (!drivenByHand && (recheck == null || recheck.isDone())) {
      recheck = executor.schedule(this::runSafely, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Commits a decision as an intent, if this controller is the acting leader and no change is in
   * progress. Never blocks the caller.
   */
  public void propose(Decision d) {
    if (!journal.isActingLeader() || journal.state().pending() != null
        || !proposingIntent.compareAndSet(false, true)) {
      return;
    }
    Intent intent = d.toIntent(journal.term(), clock.millis(), controllerId);
    submit(intent).whenComplete((p, e) -> {
      proposingIntent.set(false);
      if (p != null && p.accepted()) {
        LOG.warn("decided {}: {} {} (token {}:{})", d.decisionId(), d.kind(), d.regions(), p.term(), p.index());
      }
      kick();
    });
  }

  /** Proposes any entry, logging refusals; the future never fails (null when not committed). */
  public CompletableFuture<Proposal> submit(JournalEntry e) {
    String action = "propose-" + e.getClass().getSimpleName();
    String decisionId = decisionIdOf(e);
    return journal.propose(e).handle((p, err) -> {
      actions.record(clock.millis(), action, e.proposerTerm(), decisionId, p == null ? null : p.term() + ":" + p.index(),
          err != null ? "failed: " + rootMessage(err) : p.accepted() ? "ok" : "refused: " + p.detail());
      if (err != null) {
        errors.count("journal.not-committed");
        LOG.info("{} not committed: {}", e.getClass().getSimpleName(), rootMessage(err));
        return null;
      }
      if (!p.accepted()) {
        LOG.info("{} refused by the journal: {}", e.getClass().getSimpleName(), p.detail());
      }
      return p;
    });
  }

  private void runSafely() {
    try {
      step();
    } catch (ModeStore.StaleLeaderException e) {
      errors.count("failover.stale-leader");
      LOG.warn("stopped acting: {}", e.getMessage());
    } catch (Throwable t) {
      lastError = rootMessage(t);
      errors.count("failover.step");
      LOG.error("intent step failed; will retry", t);
    }
  }

  /** One look at the journal and, while acting, the next step of the unfinished intent. */
  private void step() {
    if (!journal.isActingLeader()) {
      cancelApply(null, "controller " + controllerId + " is no longer the acting leader");
      live.reset();
      phaseKey = null;
      return;
    }
    ControlState state = journal.state();
    IntentRecord pending = state.pending();
    if (pending == null || pending.phase() != IntentPhase.FENCED) {
      // finished, aborted or past its DNS step (here or by a leader before us): nothing to send any more
      cancelApply(null, pending == null ? "no decision is in progress" : "decision "
          + pending.intent().decisionId() + " is " + pending.phase());
    }
    if (pending == null) {
      phaseKey = null;
      if (!provider.servedFromJournal() && zone.due()) {
        periodicPass(state);
      }
      return;
    }
    String id = pending.intent().decisionId();
    if ((id + "/" + pending.phase()).equals(stepInFlight) || abortIfStuck(pending)) {
      return;
    }
    // the term this controller leads in, taken at the leadership check: a pause after it (GC,
    // SIGSTOP) must not make a late action look like it belongs to a later term
    long term = journal.term();
    switch (pending.phase()) {
      case COMMITTED -> fence(state, id, term);
      case FENCED -> shiftDns(pending, term);
      case SHIFTED -> verify(pending);
      default -> { }
    }
  }

  /**
   * The periodic pass: what the provider serves vs what the journal committed. Every decision up to
   * the journal's last token is finished here, so a newer provider token up to it is a change of an
   * aborted decision that landed late, and is put back.
   */
  private void periodicPass(ControlState state) {
    zone.reconcile(state.zone().weights(), state.zone().token(), state.lastToken()).whenComplete((o, e) -> {
      if (e != null) {
        errors.count("dns.periodic-pass");
        LOG.warn("periodic DNS reconciliation failed: {}", rootMessage(e));
      } else if (!o.drift().isEmpty() || !o.rejected().isEmpty()) {
        LOG.warn("{}", o.describe());
      }
    });
  }

  private boolean abortIfStuck(IntentRecord pending) {
    String key = pending.intent().decisionId() + "/" + pending.phase();
    if (!key.equals(phaseKey)) {
      phaseKey = key;
      phaseSince = clock.millis();
      lastError = "";
      return false;
    }
    long stuck = clock.millis() - phaseSince;
    if (stuck < timeouts.intentDeadline().toMillis()) {
      return false;
    }
    abort(pending.intent().decisionId(), "no progress in phase " + pending.phase() + " for " + stuck / 1000 + " s"
        + (lastError.isEmpty() ? "" : " (last error: " + lastError + ")"));
    return true;
  }

  /**
   * Gives up a decision: committed as aborted (traffic stays as DNS serves it) and alerted. Its DNS
   * change in flight is cancelled first: no attempt of it is sent once the abort is proposed.
   */
  public CompletableFuture<Proposal> abort(String decisionId, String why) {
    aborting = decisionId;
    cancelApply(decisionId, "decision " + decisionId + " is being aborted: " + why);
    LOG.error("aborting decision {}: {}", decisionId, why);
    submit(new AlertRaised("IntentAborted", "CRITICAL", null, "decision " + decisionId + " aborted: " + why, false,
        journal.term(), clock.millis(), controllerId));
    return submit(new Completed(decisionId, 0, true, "aborted: " + why, journal.term(), clock.millis(), controllerId))
        .whenComplete((p, e) -> {
          if (p == null || !p.accepted()) {
            aborting = null; // not aborted after all: whoever carries the decision on may change DNS for it
          }
          kick();
        });
  }

  private void fence(ControlState state, String id, long term) {
    // a pause here (GC, SIGSTOP) is exactly the check-then-act gap receivers must fence against
    holdForFaultInjection();
    // checked again right before the broadcast: a leader paused past its lease since the check in
    // step() stops here (receivers would ignore its older token anyway: agents keep the highest)
    if (!journal.isActingLeader() || journal.term() != term) {
      actions.record(clock.millis(), "publish-modes", term, id, state.lastToken().toString(),
          "refused: no longer the acting leader of term " + term);
      return;
    }
    // returns once the signed records are broadcast from this controller's own member: the commit
    // of Fenced never waits for another member (a frozen or cut-off one) nor for any agent (ADR 0011)
    modes.publish(state, id, term);
    if (journal.isActingLeader()) {
      inFlight(id, IntentPhase.COMMITTED, submit(new Fenced(id, journal.term(), clock.millis(), controllerId)));
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

  /** A DNS change of one decision in flight: its window, its future, the term it was started in. */
  private record DnsApply(String decisionId, FencingToken token, long term, ChangeWindow window,
      CompletableFuture<ReconcileOutcome> change) {}

  /** Closes the window of the change in flight (of {@code decisionId}, or any when null). */
  private void cancelApply(String decisionId, String why) {
    DnsApply a = applying.get();
    if (a != null && (decisionId == null || a.decisionId().equals(decisionId))) {
      a.window().cancel(why);
      if (applying.compareAndSet(a, null) && !a.change().isDone()) {
        LOG.warn("DNS change for {} cancelled: {}", a.decisionId(), why);
        actions.record(clock.millis(), "dns-apply", a.term(), a.decisionId(), a.token().toString(),
            "cancelled: " + why);
      }
    }
  }

  /**
   * Starts the decision's DNS change, or looks at the one in flight: never two at once, never
   * waiting on this thread. A change is given up when its window closes (its attempts stop) and
   * started again at the next step, until the intent deadline aborts the decision.
   */
  private void shiftDns(IntentRecord pending, long term) {
    Intent intent = pending.intent();
    String id = intent.decisionId();
    DnsApply a = applying.get();
    if (a != null && !a.decisionId().equals(id)) {
      cancelApply(a.decisionId(), "decision " + id + " is the one in progress");
      a = null;
    }
    if (a == null) {
      if (id.equals(aborting)) {
        return;
      }
      ChangeWindow window = ChangeWindow.of(clock, timeouts.providerCall());
      CompletableFuture<ReconcileOutcome> change = new CompletableFuture<>();
      applying.set(new DnsApply(id, pending.token(), term, window, change));
      if (id.equals(aborting)) {
        cancelApply(id, "decision " + id + " is being aborted"); // the abort came between the two looks
        return;
      }
      LOG.info("applying DNS for {} with token {} (window until {})", id, pending.token(), window.deadline());
      zone.applyDecision(intent.weights(), pending.token(), window).whenComplete((o, e) -> {
        // logged when it ends, whether or not a step still waits for it: a change that lands after
        // its window or its abort is in the action log too
        if (e != null) {
          errors.count("dns.apply");
          actions.record(clock.millis(), "dns-apply", term, id, pending.token().toString(),
              "failed: " + rootMessage(e));
          change.completeExceptionally(e);
        } else {
          actions.record(clock.millis(), "dns-apply", term, id, pending.token().toString(), "ok: " + o.changeIds());
          change.complete(o);
        }
        kick();
      });
      return;
    }
    if (!a.change().isDone()) {
      Optional<String> closed = a.window().closedBecause();
      if (closed.isEmpty()) {
        return; // still under way: one change per decision
      }
      // the window closed: the provider sends no attempt of it any more; the next step starts again
      applying.compareAndSet(a, null);
      lastError = "DNS change not done within its window of " + timeouts.providerCall().toSeconds() + " s";
      actions.record(clock.millis(), "dns-apply", a.term(), id, a.token().toString(), "given up: " + lastError);
      errors.count("dns.apply");
      LOG.warn("DNS change for {} given up ({}), will start again", id, closed.get());
      return;
    }
    applying.compareAndSet(a, null);
    ReconcileOutcome outcome;
    try {
      outcome = a.change().join(); // recorded in the action log when it ended
    } catch (RuntimeException e) {
      lastError = rootMessage(e);
      LOG.warn("DNS change for {} failed, will retry: {}", id, lastError);
      return;
    }
    lastOutcome = outcome;
    LOG.info("{}", outcome.describe());
    // the embedded provider journals the change itself; others are recorded here
    IntentRecord now = journal.state().pending();
    if (now != null && now.phase() == IntentPhase.FENCED && now.intent().decisionId().equals(intent.decisionId())
        && journal.isActingLeader()) {
      inFlight(intent.decisionId(), IntentPhase.FENCED, submit(new DnsCommitted(intent.decisionId(), provider.name(),
          outcome.weightsAfter(), outcome.changeIds().isEmpty() ? null : outcome.changeIds(), journal.term(),
          clock.millis(), controllerId)));
    }
  }

  private void verify(IntentRecord pending) {
    LiveCheck.Answer a = live.look(pending, lastOutcome, () -> journal.state().zone().weights());
    if (!a.done()) {
      recheckIn(provider.servedFromJournal() ? 100 : 500);
      return;
    }
    if (!a.verified()) {
      lastError = a.detail();
      submit(new AlertRaised("DnsNotVerified", "CRITICAL", String.join(",", pending.intent().regions()),
          "decision " + pending.intent().decisionId() + ": " + a.detail(), false, journal.term(), clock.millis(),
          controllerId));
    }
    if (journal.isActingLeader()) {
      String id = pending.intent().decisionId();
      inFlight(id, IntentPhase.SHIFTED, submit(new Completed(id, a.verified() ? clock.millis() : 0, false,
          a.detail(), journal.term(), clock.millis(), controllerId)));
      live.reset();
    }
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

  /**
   * Fault-injection point for the crash tests: {@code PHAROS_FAULT_HOLD_BEFORE_FENCE_MS} holds the
   * leader between committing an intent and executing it, so a test can kill or freeze it exactly
   * there. Unset in normal operation.
   */
  private static void holdForFaultInjection() {
    if (HOLD_BEFORE_FENCE_MS > 0) {
      try {
        Thread.sleep(HOLD_BEFORE_FENCE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String rootMessage(Throwable e) {
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
