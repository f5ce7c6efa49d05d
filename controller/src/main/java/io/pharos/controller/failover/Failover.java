package io.pharos.controller.failover;

import io.pharos.controller.alert.AlertJournal;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.Journal;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.reconcile.ZoneReconciler;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the acting leader runs, built over one journal: the {@link IntentExecutor} (fence, DNS,
 * verify, complete), the {@link ModeRenewer} and the {@link AlertJournal}. Every controller has
 * them; they act only while the journal says this controller is the acting leader.
 */
public final class Failover implements AutoCloseable {
  private final Journal journal;
  private final ModeRenewer renewer;
  private final IntentExecutor executor;
  private final AlertJournal alerts;
  private final String controllerId;
  private final Clock clock;
  /** An approval entry is being committed: the steps meanwhile would ask for the same one again. */
  private final AtomicBoolean approvalInFlight = new AtomicBoolean();
  /** Findings from outside the decision step that the acting leader alerts on too (failover readiness). */
  private volatile java.util.function.Supplier<java.util.List<io.pharos.core.decision.Analysis>> alsoAlert =
      java.util.List::of;

  /** @param modeLeaseMs how long agents trust a published mode; renewed every third of it */
  public Failover(String controllerId, Clock clock, Journal journal, ModeStore modes, long modeLeaseMs,
      DnsProvider provider, ZoneReconciler zone, NameServerCheck nameServers, IntentExecutor.Timeouts timeouts,
      ActionLog actions, ErrorCounter errors) {
    this.journal = journal;
    this.controllerId = controllerId;
    this.clock = clock;
    this.renewer = new ModeRenewer(clock, journal, modes, actions, errors, modeLeaseMs);
    this.executor = new IntentExecutor(controllerId, clock, journal, renewer, provider, zone, nameServers, timeouts,
        actions, errors);
    this.alerts = new AlertJournal(controllerId, clock, executor::submit, journal::term,
        () -> journal.state().outbox());
    journal.onApplied(a -> executor.kick());
    journal.onLeadershipChange(executor::kick);
  }

  /**
   * Called with every step of the decision loop: the acting leader records alerts, proposes the
   * decision, and records a decision that waits for an operator (or withdraws one).
   */
  public void onStep(Step step) {
    if (journal.isActingLeader()) {
      java.util.List<io.pharos.core.decision.Analysis> extra = alsoAlert.get();
      if (extra.isEmpty()) {
        alerts.update(step.analyses());
      } else {
        java.util.List<io.pharos.core.decision.Analysis> all = new java.util.ArrayList<>(step.analyses());
        all.addAll(extra);
        alerts.update(all);
      }
      if (step.decision() != null) {
        executor.propose(step.decision());
      }
      if (step.approval() != null && approvalInFlight.compareAndSet(false, true)) {
        executor.submit(step.approval().toEntry(journal.term(), clock.millis(), controllerId))
            .whenComplete((p, e) -> approvalInFlight.set(false));
      }
    }
  }

  /** Alerts on these findings too, with every step's (failover readiness: {@link ReadinessWatch#analyses}). */
  public void alsoAlertOn(java.util.function.Supplier<java.util.List<io.pharos.core.decision.Analysis>> findings) {
    this.alsoAlert = findings;
  }

  public IntentExecutor executor() {
    return executor;
  }

  public Failover start() {
    executor.start();
    renewer.start();
    return this;
  }

  @Override
  public void close() {
    executor.close();
    renewer.close();
  }
}
