package io.pharos.controller.http.audit;

import io.pharos.controller.Failures;
import io.pharos.controller.http.auth.Caller;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditRecord;
import io.pharos.core.journal.AuditRecorded;
import io.pharos.core.journal.AuditTrail;
import io.pharos.core.journal.AuditTruncated;
import io.pharos.core.journal.GroupFormat;
import io.pharos.core.journal.Journal;
import io.pharos.core.security.Ed25519;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every operator call the acting leader answered into the audit chain (a journal entry the
 * state machine links by hash), and keeps the chain's retained part at {@code api.audit.retain}
 * records by proposing truncations signed with the controllers' key.
 *
 * <p>The record is committed after the call's own entry: a leader that dies between the two
 * leaves the call on the timeline (its entry names who and why) but not in the chain; that gap
 * is logged where it happens and counted ({@code audit.unrecorded}).
 *
 * <p>Audit records are of journal format version 2, which the leader proposes only once every
 * member said it reads it; while a controller is down (a lost region's) that is not known, so a
 * record that cannot be proposed for that reason waits here (at most {@link #MAX_WAITING}) and is
 * proposed again every few seconds while this controller leads ({@link #retryWaiting}). A leader
 * that steps down logs the waiting records in full and drops them.
 */
public final class AuditRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);
  static final int MAX_WHAT = 2_000;
  static final int MAX_RESULT = 500;
  private final String controllerId;
  private final Clock clock;
  private final Journal journal;
  private final int retain;
  private final PrivateKey signingKey;
  private final ErrorCounter errors;
  private final AtomicBoolean truncating = new AtomicBoolean();
  private final AtomicBoolean retrying = new AtomicBoolean();
  static final int MAX_WAITING = 1_000;
  private final java.util.Deque<AuditRecorded> waiting = new java.util.concurrent.LinkedBlockingDeque<>();

  /**
   * @param retain records to keep in the journal's state
   * @param signingKey the controllers' Ed25519 private key, or null (no truncation: the state's own
   *     bound then drops the oldest without an anchor, and exports say so)
   */
  public AuditRecorder(String controllerId, Clock clock, Journal journal, int retain, PrivateKey signingKey,
      ErrorCounter errors) {
    this.controllerId = controllerId;
    this.clock = clock;
    this.journal = journal;
    this.retain = retain;
    this.signingKey = signingKey;
    this.errors = errors;
    if (signingKey == null) {
      LOG.warn("no controllers' private key (security.controllerKeyFile or {}): the audit chain cannot be truncated"
          + " behind signed anchors; past {} records the oldest are dropped unanchored",
          io.pharos.core.config.ControllerKeyConfig.DEFAULT_KEY_ENV, AuditTrail.MAX_RECORDS);
    }
  }

  /**
   * Records a call this controller answered as acting leader; completes with whether the record
   * was committed (never fails).
   */
  public CompletableFuture<Boolean> record(Caller caller, String what, String why, String result) {
    AuditRecorded e = new AuditRecorded(caller.name(), caller.role().label(), cut(what, MAX_WHAT), why,
        cut(result, MAX_RESULT), journal.term(), clock.millis(), controllerId);
    if (!waiting.isEmpty()) {
      waitFor(e); // keep the order: behind the ones already waiting
      return CompletableFuture.completedFuture(false);
    }
    return propose(e);
  }

  private CompletableFuture<Boolean> propose(AuditRecorded e) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    try {
      journal.propose(e).whenComplete((p, err) -> {
        Throwable t = Failures.unwrap(err);
        boolean ok = t == null && p.accepted();
        if (t instanceof GroupFormat.VersionNotReadableException) {
          waitFor(e);
        } else if (!ok) {
          errors.record(LOG, "audit.unrecorded", "the audit record " + describe(e) + " was not committed",
              t != null ? t : new IllegalStateException(p.detail()));
        } else {
          truncateIfDue();
        }
        done.complete(ok);
      });
    } catch (RuntimeException ex) {
      errors.record(LOG, "audit.unrecorded", "the audit record " + describe(e) + " was not proposed", ex);
      done.complete(false);
    }
    return done;
  }

  private void waitFor(AuditRecorded e) {
    if (waiting.size() >= MAX_WAITING) {
      errors.record(LOG, "audit.unrecorded", "the audit record " + describe(e) + " was dropped: " + MAX_WAITING
          + " records already wait for every controller to read them", new IllegalStateException("queue full"));
      return;
    }
    waiting.addLast(e);
    LOG.warn("audit record {} waits until every controller reads journal format version 2 (one does not answer)",
        describe(e));
  }

  /**
   * Proposes the records that wait, oldest first, while this controller is the acting leader;
   * drops them (logged in full) when it no longer leads. Blocking: call it off the event loop.
   */
  public void retryWaiting() {
    if (!retrying.compareAndSet(false, true)) {
      return;
    }
    try {
      retryWaitingNow();
    } finally {
      retrying.set(false);
    }
  }

  private void retryWaitingNow() {
    while (!waiting.isEmpty()) {
      if (!journal.isActingLeader()) {
        AuditRecorded e;
        while ((e = waiting.pollFirst()) != null) {
          errors.record(LOG, "audit.unrecorded", "the audit record " + describe(e) + " was dropped: this controller"
              + " no longer leads", new IllegalStateException("not the acting leader"));
        }
        return;
      }
      AuditRecorded head = waiting.peekFirst();
      AuditRecorded now = new AuditRecorded(head.who(), head.role(), head.what(), head.why(), head.result(),
          journal.term(), head.at(), head.controller());
      try {
        var p = journal.propose(now).get(10, java.util.concurrent.TimeUnit.SECONDS);
        waiting.pollFirst();
        if (!p.accepted()) {
          errors.record(LOG, "audit.unrecorded", "the audit record " + describe(head) + " was refused: " + p.detail(),
              new IllegalStateException(p.detail()));
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception ex) {
        return; // still not readable by every member, or no majority: next time
      }
    }
    truncateIfDue();
  }

  /** Records waiting for every controller to read them. */
  public int waitingCount() {
    return waiting.size();
  }

  private static String describe(AuditRecorded e) {
    return "[" + e.who() + " (" + e.role() + ") " + e.what() + " at " + e.at() + ", why: " + e.why() + ", result: "
        + e.result() + "]";
  }

  /** Proposes a signed truncation when the retained records exceed the limit by a batch. */
  void truncateIfDue() {
    List<AuditRecord> records = journal.state().audit().records();
    int batch = Math.max(10, retain / 10);
    if (signingKey == null || records.size() <= retain + batch || !journal.isActingLeader()
        || !truncating.compareAndSet(false, true)) {
      return;
    }
    AuditRecord before = records.get(records.size() - retain - 1);
    long seq = before.seq() + 1;
    long at = clock.millis();
    String signature = Base64.getEncoder().encodeToString(Ed25519.sign(signingKey,
        AuditChain.anchorBytes(seq, before.hash(), at, controllerId)));
    try {
      journal.propose(new AuditTruncated(seq, before.hash(), signature, journal.term(), at, controllerId))
          .whenComplete((p, err) -> {
            truncating.set(false);
            if (err != null || !p.accepted()) {
              errors.record(LOG, "audit.truncate", "the audit chain was not truncated at " + seq,
                  err != null ? err : new IllegalStateException(p.detail()));
            } else {
              LOG.info("audit records before {} dropped from the journal behind a signed anchor", seq);
            }
          });
    } catch (RuntimeException ex) {
      truncating.set(false);
      errors.record(LOG, "audit.truncate", "the audit chain was not truncated at " + seq, ex);
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
