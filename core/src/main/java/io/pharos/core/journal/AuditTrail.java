package io.pharos.core.journal;

import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit chain as the journal holds it: the head (last sequence number and hash, kept even
 * when every record before was dropped), the most recent records, and the anchor the kept part
 * starts at. Records are linked here, by the state machine, so every replica computes the same
 * hashes from the same log.
 *
 * @param anchor the signed truncation anchor the records start at, or null (they start at seq 1)
 * @param records oldest first, at most {@link #MAX_RECORDS}
 */
public record AuditTrail(long headSeq, String headHash, AuditAnchor anchor, List<AuditRecord> records) {
  /**
   * The most records the state holds. The leader keeps fewer ({@code api.audit.retain}) by
   * proposing signed truncations; past this bound (a leader without the controllers' key) the
   * oldest are dropped without an anchor, and an export then says its start is unanchored.
   */
  public static final int MAX_RECORDS = 2_000;
  static final AuditTrail EMPTY = new AuditTrail(0, AuditChain.GENESIS, null, List.of());

  public AuditTrail {
    records = List.copyOf(records);
  }

  /** The state after {@code e}, one of the audit or break-glass entries. */
  static Applied apply(ControlState s, JournalEntry e, long term) {
    if (e instanceof AuditRecorded r) {
      return new Applied(s.toBuilder().audit(s.audit().append(r.at(), r.who(), r.role(), r.what(), r.why(), r.result(),
          term, r.controller())).build(), true, "");
    }
    if (e instanceof AuditTruncated t) {
      return truncate(s, t);
    }
    return breakGlass(s, (BreakGlassUsed) e, term);
  }

  private AuditTrail append(long at, String who, String role, String what, String why, String result, long term,
      String controller) {
    long seq = headSeq + 1;
    String hash = AuditChain.hash(seq, at, who, role, what, why, result, term, controller, headHash);
    List<AuditRecord> next = new ArrayList<>(records);
    next.add(new AuditRecord(seq, at, who, role, what, why, result, term, controller, headHash, hash));
    if (next.size() > MAX_RECORDS) {
      next = next.subList(next.size() - MAX_RECORDS, next.size());
    }
    return new AuditTrail(seq, hash, anchor, next);
  }

  private static Applied truncate(ControlState s, AuditTruncated t) {
    AuditTrail a = s.audit();
    int at = -1;
    for (int i = 1; i < a.records.size(); i++) {
      if (a.records.get(i).seq() == t.seq()) {
        at = i;
      }
    }
    if (at < 0) {
      return s.reject(t, t.proposerTerm(), "audit record " + t.seq() + " is not held after the first one");
    }
    if (!a.records.get(at - 1).hash().equals(t.prev())) {
      return s.reject(t, t.proposerTerm(), "the anchor's previous hash is not that of audit record " + (t.seq() - 1));
    }
    AuditAnchor anchor = new AuditAnchor(t.seq(), t.prev(), t.at(), t.controller(), t.signature());
    return new Applied(s.toBuilder().audit(new AuditTrail(a.headSeq, a.headHash, anchor,
        a.records.subList(at, a.records.size()))).build(), true, "");
  }

  private static Applied breakGlass(ControlState s, BreakGlassUsed u, long term) {
    BreakGlassState g = s.breakGlass();
    Long earlier = g.spent().get(u.codeId());
    Map<String, Long> spent = new LinkedHashMap<>(g.spent());
    spent.putIfAbsent(u.codeId(), u.usedAt());
    while (spent.size() > BreakGlassState.MAX_SPENT) {
      spent.remove(spent.keySet().iterator().next());
    }
    Map<String, BreakGlassSession> sessions = new LinkedHashMap<>();
    g.sessions().forEach((k, v) -> {
      if (v.expiresAt() > u.at()) {
        sessions.put(k, v);
      }
    });
    sessions.put(u.sessionHash(), new BreakGlassSession(u.codeId(), u.expiresAt(), u.usedOn()));
    String again = earlier == null ? "" : " (the code had been used before, at " + earlier
        + ", before the journal knew: a controller cut off from the others accepted it again)";
    String what = "break-glass code " + u.codeId() + " used on " + u.usedOn() + again;
    PharosEvent event = new PharosEvent(u.at(), EventType.ALERT, null, null, "BreakGlassUsed",
        "CRITICAL: " + what + "; admin until " + java.time.Instant.ofEpochMilli(u.expiresAt()) + ": " + u.reason(),
        u.controller(), null);
    List<PharosEvent> events = ControlState.append(s.events(), List.of(event));
    AuditTrail audit = s.audit().append(u.usedAt(), "breakglass:" + u.codeId(), "admin", "POST /v1/breakglass on "
        + u.usedOn(), u.reason(), "admin granted until " + u.expiresAt() + again, term, u.controller());
    return new Applied(s.toBuilder().events(events).audit(audit)
        .breakGlass(new BreakGlassState(spent, sessions)).build(), true, "");
  }
}
