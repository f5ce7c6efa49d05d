package io.pharos.core.journal;

import io.pharos.core.journal.Approval.Status;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a decision that waits for an operator, as the journal applies it:
 *
 * <pre>
 *   WAITING ──approve──► APPROVED ──intent under its id──► EXECUTED
 *      │  └──reject──► REJECTED
 *      ├──withdraw (evidence gone) ──► WITHDRAWN ◄── withdraw ── APPROVED
 *      └──an automatic intent about the same regions──► SUPERSEDED
 * </pre>
 *
 * Any other move is refused (and so is a second open request about a region already asked about).
 */
final class Approvals {
  private static final Map<Status, Set<Status>> ALLOWED = Map.of(
      Status.WAITING, EnumSet.of(Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, Status.SUPERSEDED),
      Status.APPROVED, EnumSet.of(Status.EXECUTED, Status.WITHDRAWN, Status.SUPERSEDED));

  private Approvals() {}

  static Applied apply(ControlState s, JournalEntry e) {
    if (e instanceof ApprovalRequested r) {
      return request(s, r);
    }
    if (e instanceof ApprovalGranted g) {
      return answer(s, e, g.decisionId(), Status.APPROVED, g.by(), g.reason(), "approved by " + g.by() + ": "
          + g.reason());
    }
    if (e instanceof ApprovalRejected r) {
      return answer(s, e, r.decisionId(), Status.REJECTED, r.by(), r.reason(), "rejected by " + r.by() + ": "
          + r.reason() + "; nothing changes");
    }
    ApprovalWithdrawn w = (ApprovalWithdrawn) e;
    return answer(s, e, w.decisionId(), Status.WITHDRAWN, null, w.why(), "withdrawn: " + w.why());
  }

  private static Applied request(ControlState s, ApprovalRequested r) {
    if (s.approvals().containsKey(r.decisionId())) {
      return s.reject(r, r.proposerTerm(), "decision " + r.decisionId() + " was already recorded");
    }
    for (Approval a : s.approvals().values()) {
      if (a.status().open() && a.regions().stream().anyMatch(r.regions()::contains)) {
        return s.reject(r, r.proposerTerm(), "decision " + a.decisionId() + " about " + a.regions()
            + " already waits for an operator");
      }
    }
    Map<String, Approval> next = new LinkedHashMap<>(s.approvals());
    next.put(r.decisionId(), new Approval(r.decisionId(), r.kind(), r.regions(), r.code(), r.reason(), r.why(), r.at(),
        r.detectedAt(), r.firstFailureAt(), Status.WAITING, null, null, 0));
    trim(next);
    PharosEvent event = new PharosEvent(r.at(), EventType.ALERT, String.join(",", r.regions()), r.decisionId(),
        "FailoverAwaitingApproval", r.kind() + " of " + r.regions() + " waits for an operator (" + r.why() + "): "
            + r.reason() + "; `pharos approve " + r.decisionId() + " --reason ...` or `pharos reject "
            + r.decisionId() + " --reason ...`", r.controller(), null);
    return new Applied(s.toBuilder().approvals(next).events(ControlState.append(s.events(), List.of(event))).build(),
        true, "");
  }

  private static Applied answer(ControlState s, JournalEntry e, String id, Status to, String by, String answer,
      String detail) {
    Approval a = s.approvals().get(id);
    if (a == null) {
      return s.reject(e, e.proposerTerm(), "no decision " + id + " waits for an operator");
    }
    if (!ALLOWED.getOrDefault(a.status(), Set.of()).contains(to)) {
      return s.reject(e, e.proposerTerm(), "decision " + id + " is " + a.status().name().toLowerCase()
          + ", it cannot become " + to.name().toLowerCase());
    }
    Map<String, Approval> next = new LinkedHashMap<>(s.approvals());
    next.put(id, a.answered(to, by, answer, e.at()));
    PharosEvent event = new PharosEvent(e.at(), EventType.ALERT, String.join(",", a.regions()), id,
        "Approval" + (to == Status.APPROVED ? "Granted" : to == Status.REJECTED ? "Rejected" : "Withdrawn"),
        a.kind() + " of " + a.regions() + " " + detail, e.controller(), null);
    return new Applied(s.toBuilder().approvals(next).events(ControlState.append(s.events(), List.of(event))).build(),
        true, "");
  }

  /**
   * After an intent is accepted: the approved decision it executes is done; open ones about the same
   * regions are superseded by it.
   */
  static Map<String, Approval> afterIntent(Map<String, Approval> approvals, Intent i, List<PharosEvent> events) {
    Map<String, Approval> next = null;
    for (Approval a : approvals.values()) {
      Status to;
      if (a.decisionId().equals(i.decisionId()) && a.status() == Status.APPROVED) {
        to = Status.EXECUTED;
      } else if (a.status().open() && a.regions().stream().anyMatch(i.regions()::contains)) {
        to = Status.SUPERSEDED;
        events.add(new PharosEvent(i.at(), EventType.ALERT, String.join(",", a.regions()), a.decisionId(),
            "ApprovalWithdrawn", a.kind() + " of " + a.regions() + " superseded by decision " + i.decisionId(),
            i.controller(), null));
      } else {
        continue;
      }
      if (next == null) {
        next = new LinkedHashMap<>(approvals);
      }
      next.put(a.decisionId(), a.answered(to, a.by(), a.answer(), i.at()));
    }
    if (next == null) {
      return approvals;
    }
    trim(next);
    return next;
  }

  private static void trim(Map<String, Approval> approvals) {
    List<String> answered = new ArrayList<>();
    approvals.forEach((id, a) -> {
      if (!a.status().open()) {
        answered.add(id);
      }
    });
    for (int i = 0; i < answered.size() - ControlState.MAX_ANSWERED_APPROVALS; i++) {
      approvals.remove(answered.get(i));
    }
  }
}
