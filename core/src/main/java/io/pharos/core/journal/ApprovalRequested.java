package io.pharos.core.journal;

import java.util.List;

/**
 * The leader recorded a decision that waits for an operator instead of being executed: its
 * evidence is on the timeline and in status until {@link ApprovalGranted}, {@link ApprovalRejected}
 * or {@link ApprovalWithdrawn}.
 *
 * @param decisionId id the decision is executed under once approved
 * @param kind what it would do
 * @param regions the regions concerned
 * @param code analysis code behind it
 * @param reason the evidence
 * @param why why it waits (evidence short by one vantage; policy.mode approve)
 * @param detectedAt controller clock when the regions were judged failing, or 0
 * @param firstFailureAt agent clock of the first failing probe, or 0
 */
public record ApprovalRequested(
    String decisionId,
    IntentKind kind,
    List<String> regions,
    String code,
    String reason,
    String why,
    long detectedAt,
    long firstFailureAt,
    long proposerTerm,
    long at,
    String controller)
    implements JournalEntry {}
