package io.pharos.controller.notify;

import io.pharos.core.alert.AlertNotice;
import io.pharos.core.alert.AlertRouting;
import io.pharos.core.journal.AlertDelivered;
import io.pharos.core.journal.AlertOutbox;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.journal.OutboxAlert;
import io.pharos.core.journal.Proposal;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The journaled alerts' delivery: only the acting leader sends, each receiver from its watermark in
 * the journal's outbox, in order; what is done (delivered, given up or expired) is recorded with
 * {@link AlertDelivered}, at most one proposal in flight. A new leader starts from the recorded
 * watermarks: an alert delivered but not yet recorded when the old leader died is sent again
 * under the same dedup key (one incident at PagerDuty and Alertmanager; a second Slack message
 * only in that window).
 */
final class OutboxDelivery {
  private final Journal journal;
  private final List<ReceiverQueue> queues;
  private final Function<JournalEntry, CompletableFuture<Proposal>> submit;
  private final String controllerId;
  private final String environment;
  private final Clock clock;
  /**
   * How long to wait before proposing a refused watermark again: e.g. while a controller is down and
   * its journal format unknown, a version-2 entry is refused until it is back.
   */
  static final long RETRY_PROPOSAL_MS = 2_000;

  private final Map<String, Long> offered = new HashMap<>();
  private final Map<String, Long> done = new ConcurrentHashMap<>();
  private final Map<String, Long> proposed = new HashMap<>();
  private volatile long activeTerm = -1;
  private boolean proposing;
  /** After a refused watermark, not before this (clock millis): a member of unknown version refuses it for a while. */
  private long nextProposalAt;

  OutboxDelivery(Journal journal, List<ReceiverQueue> queues, Function<JournalEntry, CompletableFuture<Proposal>> submit,
      String controllerId, String environment, Clock clock) {
    this.journal = journal;
    this.queues = queues;
    this.submit = submit;
    this.controllerId = controllerId;
    this.environment = environment;
    this.clock = clock;
  }

  /** Called on the notify thread after every applied entry and on a timer. */
  synchronized void tick() {
    if (!journal.isActingLeader()) {
      stopActing();
      return;
    }
    long term = journal.term();
    if (term != activeTerm) {
      stopActing();
      activeTerm = term;
    }
    AlertOutbox outbox = journal.state().outbox();
    for (ReceiverQueue q : queues) {
      String r = q.name();
      // what this controller delivered itself counts even before it is recorded (or in an earlier term)
      long from = Math.max(outbox.deliveredUpTo(r), Math.max(offered.getOrDefault(r, 0L), done.getOrDefault(r, 0L)));
      for (OutboxAlert a : outbox.pending()) {
        if (a.seq() <= from) {
          continue;
        }
        AlertNotice n = AlertNotice.of(a, environment);
        long seq = a.seq();
        Runnable finished = () -> done.merge(r, seq, Math::max);
        q.offer(new ReceiverQueue.Delivery(AlertRouting.routes(q.receiver(), n) ? n : null, true, finished));
        offered.put(r, seq);
      }
    }
    record(outbox);
  }

  /** Proposes the watermarks that moved (one proposal at a time; a refused one is retried). */
  private void record(AlertOutbox outbox) {
    if (proposing || clock.millis() < nextProposalAt) {
      return;
    }
    Map<String, Long> moved = new HashMap<>();
    done.forEach((r, seq) -> {
      if (seq > outbox.deliveredUpTo(r) && seq > proposed.getOrDefault(r, 0L)) {
        moved.put(r, seq);
      }
    });
    if (moved.isEmpty()) {
      return;
    }
    proposing = true;
    proposed.putAll(moved);
    long term = activeTerm;
    submit.apply(new AlertDelivered(moved, term, clock.millis(), controllerId)).whenComplete((p, e) -> {
      synchronized (this) {
        proposing = false;
        if (p == null || !p.accepted()) {
          // recorded later (delivered meanwhile from this leader's memory), or by the next leader's own delivery
          moved.keySet().forEach(proposed::remove);
          nextProposalAt = clock.millis() + RETRY_PROPOSAL_MS;
        }
      }
    });
  }

  private void stopActing() {
    if (activeTerm != -1) {
      queues.forEach(ReceiverQueue::dropOutbox);
      offered.clear(); // what was queued and not done is offered again, from the watermark or what is done
      proposed.clear();
      activeTerm = -1;
    }
  }
}
