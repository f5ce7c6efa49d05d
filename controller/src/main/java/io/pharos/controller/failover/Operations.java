package io.pharos.controller.failover;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.decision.Decision;
import io.pharos.core.decision.EvacuationPlan;
import io.pharos.core.decision.Evacuations;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.decision.ReplicationLag;
import io.pharos.core.decision.WritePrimary;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.Acknowledged;
import io.pharos.core.journal.Approval;
import io.pharos.core.journal.ApprovalGranted;
import io.pharos.core.journal.ApprovalRejected;
import io.pharos.core.journal.AutomationPaused;
import io.pharos.core.journal.AutomationResumed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.Membership;
import io.pharos.core.journal.MembershipChange;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators may ask of the acting leader: acknowledge a stop, pause or resume automation,
 * fail a region over or back by hand, evacuate a region step by step or abort that, change the
 * controllers. Each becomes a journal entry (or an intent executed like an automatic one), so it
 * is fenced, replicated and on the timeline with who asked and why. A controller that is not the
 * acting leader refuses with {@link NotLeaderException} naming the leader it knows.
 */
public final class Operations {
  /** The acknowledgements the journal understands. */
  public static final String FAILOVER_LIMIT = "failover-limit";
  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final PharosConfig config;
  private final String controllerId;
  private final Clock clock;
  private final Journal journal;
  private final Membership membership;
  private final IntentExecutor executor;
  private final Supplier<Step> latestStep;

  public Operations(PharosConfig config, String controllerId, Clock clock, Journal journal, Membership membership,
      IntentExecutor executor, Supplier<Step> latestStep) {
    this.config = config;
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
    this.membership = membership;
    this.executor = executor;
    this.latestStep = latestStep;
  }

  public CompletableFuture<Proposal> acknowledge(String what, String by) {
    if (!FAILOVER_LIMIT.equals(what)) {
      throw new ManualDecisions.Refused("unknown acknowledgement '" + what + "' (known: " + FAILOVER_LIMIT + ")");
    }
    return commit(new Acknowledged(what, by, journal.term(), clock.millis(), controllerId));
  }

  public CompletableFuture<Proposal> pause(String by, String reason, long untilMillis) {
    return commit(new AutomationPaused(by, reason, untilMillis, journal.term(), clock.millis(), controllerId));
  }

  public CompletableFuture<Proposal> resume(String by) {
    if (journal.state().maintenance() == null) {
      throw new ManualDecisions.Refused("automation is not paused");
    }
    return commit(new AutomationResumed(by, journal.term(), clock.millis(), controllerId));
  }

  /**
   * Approves a decision that waits for an operator: committed as {@link ApprovalGranted}; the
   * decision engine then carries it out under its id, so a leader change in between loses nothing.
   */
  public CompletableFuture<Proposal> approve(String decisionId, String by, String reason) {
    requireWaiting(decisionId);
    return commit(new ApprovalGranted(decisionId, by, reason, journal.term(), clock.millis(), controllerId));
  }

  /** Rejects a decision that waits for an operator: nothing changes. */
  public CompletableFuture<Proposal> reject(String decisionId, String by, String reason) {
    requireWaiting(decisionId);
    return commit(new ApprovalRejected(decisionId, by, reason, journal.term(), clock.millis(), controllerId));
  }

  private void requireWaiting(String decisionId) {
    requireLeader();
    Approval a = journal.state().approvals().get(decisionId);
    if (a == null || a.status() != Approval.Status.WAITING) {
      List<String> waiting = journal.state().approvals().values().stream()
          .filter(x -> x.status() == Approval.Status.WAITING).map(Approval::decisionId).toList();
      throw new ManualDecisions.Refused("decision " + decisionId + (a == null ? " does not wait for an operator"
          : " is " + a.status().name().toLowerCase() + ", not waiting") + (waiting.isEmpty() ? "; none waits"
              : "; waiting: " + String.join(", ", waiting)));
    }
  }

  public CompletableFuture<Proposal> failover(String region, String by, String reason) {
    requireLeader();
    Decision d = ManualDecisions.failover(config, journal.state(), region, by, reason, clock.millis());
    return commit(d.toIntent(journal.term(), clock.millis(), controllerId));
  }

  public CompletableFuture<Proposal> failback(String region, boolean force, String by, String reason) {
    requireLeader();
    Step step = latestStep.get();
    boolean recovered = step != null && step.analyses().stream()
        .anyMatch(a -> a.code() == AnalysisCode.REGION_RECOVERED && region.equals(a.region()));
    Decision d = ManualDecisions.failback(config, journal.state(), region, recovered, force, by, reason,
        clock.millis());
    return commit(d.toIntent(journal.term(), clock.millis(), controllerId));
  }

  /**
   * Starts evacuating {@code region} (R9): committed as one journal entry; the decision engine then
   * takes the steps, each an intent executed like any other, health-gated and held apart.
   *
   * @param steps percentages of the configured weight, or null for the default 75, 50, 0
   * @param hold time between steps, or null for the default
   */
  public CompletableFuture<Proposal> evacuate(String region, List<Integer> steps, Duration hold, String by,
      String reason) {
    requireLeader();
    EvacuationPlan plan = EvacuationPlan.of(steps, hold);
    Step step = latestStep.get();
    if (step == null) {
      throw new ManualDecisions.Refused("this controller has not judged the regions yet; try again in a second");
    }
    ControlState state = journal.state();
    List<String> gate = Evacuations.gate(config, state, step.health(), step.verdicts(), region, state.out());
    return commit(ManualDecisions.evacuate(config, state, region, plan, gate, by, reason, journal.term(),
        clock.millis(), controllerId));
  }

  /** Aborts the running evacuation of {@code region}: the weights from before it are restored. */
  public CompletableFuture<Proposal> abortEvacuation(String region, String by, String reason) {
    requireLeader();
    return commit(ManualDecisions.abortEvacuation(journal.state(), region, by, reason, journal.term(), clock.millis(),
        controllerId));
  }

  /**
   * Changes the controllers (a Raft configuration change), journaled with who and why: a {@link
   * MembershipChange} {@code REQUESTED} entry is committed first, then the change is made, then
   * {@code DONE} or {@code FAILED} is committed. Only an odd group of at least 3 (at most 7, as the
   * config allows) with distinct ids and Raft addresses is accepted: one controller, or an even
   * number, cannot outvote a split. Blocking (the caller runs it off the event loop).
   */
  public CompletableFuture<Proposal> setMembers(List<ControllerPeer> members, String by, String reason) {
    requireLeader();
    if (members.size() < 3 || members.size() % 2 == 0 || members.size() > 7) {
      throw new ManualDecisions.Refused(members.size() + " controllers cannot outvote a split; use 3 or 5 (at most 7)");
    }
    if (members.stream().map(ControllerPeer::id).distinct().count() < members.size()
        || members.stream().map(m -> m.raft().toString()).distinct().count() < members.size()) {
      throw new ManualDecisions.Refused("every member needs its own id and Raft address: " + describe(members));
    }
    if (reason == null || reason.isBlank()) {
      throw new ManualDecisions.Refused("a reason is required: say why the controllers change");
    }
    List<String> from;
    try {
      from = membership.memberIds();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<MembershipChange.Member> to = members.stream()
        .map(m -> new MembershipChange.Member(m.id(), m.raft().toString())).toList();
    Proposal requested;
    try {
      requested = journalMembers(MembershipChange.Phase.REQUESTED, from, to, by, reason, "");
    } catch (GroupFormat.VersionNotReadableException e) {
      throw new ManualDecisions.Refused("the controllers change is not journaled, so it is not made: "
          + e.getMessage());
    }
    if (!requested.accepted()) {
      return CompletableFuture.completedFuture(requested);
    }
    LOG.warn("controllers change requested by {}: {} -> {} ({})", by, from, describe(members), reason);
    try {
      membership.setMembers(members);
    } catch (IOException | RuntimeException e) {
      LOG.error("controllers change by {} failed: {}", by, e.toString());
      try {
        journalMembers(MembershipChange.Phase.FAILED, from, to, by, reason, String.valueOf(e.getMessage()));
      } catch (RuntimeException journalFailed) {
        LOG.error("could not journal that the controllers change failed: {}", journalFailed.toString());
      }
      return CompletableFuture.failedFuture(e);
    }
    LOG.warn("controllers changed by {}: {}", by, describe(members));
    // the change is made: a record of it that cannot be committed (a new member that has not said
    // which format it reads, a leader change) does not undo it, and is said so
    String missing;
    try {
      Proposal done = journalMembers(MembershipChange.Phase.DONE, from, to, by, reason, "");
      if (done.accepted()) {
        return CompletableFuture.completedFuture(done);
      }
      missing = done.detail();
    } catch (RuntimeException e) {
      missing = String.valueOf(e.getMessage());
    }
    LOG.error("controllers changed by {}, but the journal record that it was done is missing: {}", by, missing);
    return CompletableFuture.completedFuture(new Proposal(true, "members changed; not journaled as done: " + missing,
        journal.term(), journal.lastAppliedIndex()));
  }

  /** Commits one membership entry and waits for it; what the proposal failed with is thrown as it is. */
  private Proposal journalMembers(MembershipChange.Phase phase, List<String> from, List<MembershipChange.Member> to,
      String by, String reason, String detail) {
    try {
      return journal.propose(new MembershipChange(phase, from, to, by, reason, detail, journal.term(), clock.millis(),
          controllerId)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static String describe(List<ControllerPeer> members) {
    return members.stream().map(m -> m.id() + "@" + m.raft()).toList().toString();
  }

  /**
   * Turns read-only mode on or off for {@code region} (R7): journaled with its own token, then
   * published at once through the signed mode records, as every mode is.
   */
  public CompletableFuture<Proposal> readOnly(String region, boolean on, String by, String reason) {
    requireLeader();
    return commitMode(WritePrimary.readOnly(config, journal.state(), region, on, by, reason, journal.term(),
        clock.millis(), controllerId));
  }

  /**
   * Makes {@code region} the write primary (R7): refused while the replication lag read from
   * {@code policy.replicationLagSource} exceeds {@code policy.rpo} (or cannot be read), unless
   * {@code force}. Blocking: reads the lag source.
   */
  public CompletableFuture<Proposal> promote(String region, boolean force, String by, String reason) {
    requireLeader();
    ReplicationLag lag = LagSource.read(config.policy().replicationLagSource());
    if (!lag.read()) {
      LOG.warn("promotion of {} by {}: replication lag not read: {}", region, by, lag.problem());
    }
    return commitMode(WritePrimary.promote(config, journal.state(), region, lag, force, by, reason, journal.term(),
        clock.millis(), controllerId));
  }

  private CompletableFuture<Proposal> commitMode(JournalEntry e) {
    return commit(e).whenComplete((p, err) -> {
      if (p != null && p.accepted()) {
        executor.publishModes();
      }
    });
  }

  /** Gives up the decision in progress (traffic stays as DNS serves it; fenced regions stay fenced). */
  public CompletableFuture<Proposal> abort(String decisionId, String by, String reason) {
    requireLeader();
    var evacuation = journal.state().evacuation();
    if (evacuation != null && evacuation.id().equals(decisionId)) {
      return abortEvacuation(evacuation.region(), by, reason);
    }
    var pending = journal.state().pending();
    if (pending == null || !pending.intent().decisionId().equals(decisionId)) {
      throw new ManualDecisions.Refused("decision " + decisionId + " is not in progress"
          + (pending == null ? "" : " (in progress: " + pending.intent().decisionId() + ")"));
    }
    return executor.abort(decisionId, "operator " + by + ": " + reason);
  }

  /**
   * Announces maintenance of {@code regions} ahead (the status page shows it, and the regions as
   * Maintenance while it is open); changes no traffic.
   */
  public CompletableFuture<Proposal> scheduleMaintenance(List<String> regions, long startsAt, long endsAt, String title,
      String by, String reason) {
    long now = clock.millis();
    return commit(new io.pharos.core.journal.MaintenanceScheduled("mw-" + now, regions, startsAt, endsAt, title, by,
        reason, journal.term(), now, controllerId));
  }

  public CompletableFuture<Proposal> cancelMaintenance(String id, String by, String reason) {
    return commit(new io.pharos.core.journal.MaintenanceCancelled(id, by, reason, journal.term(), clock.millis(),
        controllerId));
  }

  private CompletableFuture<Proposal> commit(JournalEntry e) {
    requireLeader();
    return journal.propose(e).whenComplete((p, err) -> executor.kick());
  }

  private void requireLeader() {
    if (!journal.isActingLeader()) {
      throw new NotLeaderException("controller " + controllerId + " is not the acting leader (leader: "
          + journal.leaderId().orElse("none") + ")");
    }
  }
}
