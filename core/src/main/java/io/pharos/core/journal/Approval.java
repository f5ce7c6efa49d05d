package io.pharos.core.journal;

import java.util.List;

/**
 * A decision that waits for an operator (R6 approve mode, and evidence one vantage short): what
 * it would do, the evidence, and what became of it.
 *
 * @param decisionId the decision's id; an approved one is executed under the same id
 * @param kind what it would do (a failover)
 * @param regions the regions it concerns
 * @param code analysis code behind it
 * @param reason the evidence, for people
 * @param why why it waits instead of acting (evidence short by one vantage, policy.mode approve)
 * @param requestedAt proposer clock when it started waiting
 * @param detectedAt controller clock when the regions were judged failing, or 0
 * @param firstFailureAt agent clock of the first failing probe behind it, or 0
 * @param status where it stands
 * @param by who answered it, or null
 * @param answer the answer's reason, or why it was withdrawn, or null
 * @param answeredAt proposer clock of the answer, or 0
 */
public record Approval(
    String decisionId,
    IntentKind kind,
    List<String> regions,
    String code,
    String reason,
    String why,
    long requestedAt,
    long detectedAt,
    long firstFailureAt,
    Status status,
    String by,
    String answer,
    long answeredAt) {

  public Approval {
    regions = List.copyOf(regions);
  }

  /** Where a waiting decision stands. */
  public enum Status {
    /** Waiting for {@code pharos approve} or {@code pharos reject}. */
    WAITING,
    /** Approved; the leader executes it as an operator decision. */
    APPROVED,
    /** Approved and committed as an intent. */
    EXECUTED,
    REJECTED,
    /** The evidence went away (or the decision could no longer be carried out) before it was executed. */
    WITHDRAWN,
    /** An automatic decision about the same regions came first. */
    SUPERSEDED;

    public boolean open() {
      return this == WAITING || this == APPROVED;
    }
  }

  Approval answered(Status to, String by, String answer, long at) {
    return new Approval(decisionId, kind, regions, code, reason, why, requestedAt, detectedAt, firstFailureAt, to, by,
        answer, at);
  }
}
