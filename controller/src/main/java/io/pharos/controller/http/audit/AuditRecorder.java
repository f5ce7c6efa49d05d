package io.pharos.controller.http.audit;

import io.pharos.controller.http.auth.Caller;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditRecord;
import io.pharos.core.journal.AuditRecorded;
import io.pharos.core.journal.AuditTrail;
import io.pharos.core.journal.AuditTruncated;
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
          io.pharos.core.config.SecurityConfig.CONTROLLER_KEY_ENV, AuditTrail.MAX_RECORDS);
    }
  }

  /**
   * Records a call this controller answered as acting leader; completes with whether the record
   * was committed (never fails).
   */
  public CompletableFuture<Boolean> record(Caller caller, String what, String why, String result) {
    AuditRecorded e = new AuditRecorded(caller.name(), caller.role().label(), cut(what, MAX_WHAT), why,
        cut(result, MAX_RESULT), journal.term(), clock.millis(), controllerId);
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    try {
      journal.propose(e).whenComplete((p, err) -> {
        boolean ok = err == null && p.accepted();
        if (!ok) {
          errors.record(LOG, "audit.unrecorded", "the audit record of " + caller.name() + " " + what + " (" + result
              + ") was not committed", err != null ? err : new IllegalStateException(p.detail()));
        } else {
          truncateIfDue();
        }
        done.complete(ok);
      });
    } catch (RuntimeException ex) {
      errors.record(LOG, "audit.unrecorded", "the audit record of " + caller.name() + " " + what + " (" + result
          + ") was not proposed", ex);
      done.complete(false);
    }
    return done;
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
