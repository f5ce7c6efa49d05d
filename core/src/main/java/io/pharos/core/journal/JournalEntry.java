package io.pharos.core.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One entry of the controllers' decision journal (the Raft log). Every entry names the term its
 * proposer led in; the state machine refuses an entry appended in another term, so a deposed
 * leader's proposal can never take effect through its successor.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Intent.class, name = "intent"),
  @JsonSubTypes.Type(value = Fenced.class, name = "fenced"),
  @JsonSubTypes.Type(value = DnsCommitted.class, name = "dns-committed"),
  @JsonSubTypes.Type(value = Completed.class, name = "completed"),
  @JsonSubTypes.Type(value = AlertRaised.class, name = "alert"),
  @JsonSubTypes.Type(value = Acknowledged.class, name = "ack"),
  @JsonSubTypes.Type(value = AutomationPaused.class, name = "paused"),
  @JsonSubTypes.Type(value = AutomationResumed.class, name = "resumed"),
  @JsonSubTypes.Type(value = EvacuationStarted.class, name = "evacuation-started"),
  @JsonSubTypes.Type(value = EvacuationAborted.class, name = "evacuation-aborted"),
  @JsonSubTypes.Type(value = ApprovalRequested.class, name = "approval-requested"),
  @JsonSubTypes.Type(value = ApprovalGranted.class, name = "approval-granted"),
  @JsonSubTypes.Type(value = ApprovalRejected.class, name = "approval-rejected"),
  @JsonSubTypes.Type(value = ApprovalWithdrawn.class, name = "approval-withdrawn"),
  @JsonSubTypes.Type(value = MembershipChange.class, name = "membership-change"),
  @JsonSubTypes.Type(value = AuditRecorded.class, name = "audit"),
  @JsonSubTypes.Type(value = AuditTruncated.class, name = "audit-truncated"),
  @JsonSubTypes.Type(value = BreakGlassUsed.class, name = "breakglass-used"),
  @JsonSubTypes.Type(value = RegionKeyRotated.class, name = "region-key-rotated"),
  @JsonSubTypes.Type(value = ReadOnlySet.class, name = "read-only-set"),
  @JsonSubTypes.Type(value = WritePrimaryPromoted.class, name = "write-primary-promoted"),
  @JsonSubTypes.Type(value = MaintenanceScheduled.class, name = "maintenance-scheduled"),
  @JsonSubTypes.Type(value = MaintenanceCancelled.class, name = "maintenance-cancelled"),
  @JsonSubTypes.Type(value = StatusPruned.class, name = "status-pruned"),
  @JsonSubTypes.Type(value = AlertDelivered.class, name = "alert-delivered")
})
public sealed interface JournalEntry
    permits Intent,
        Fenced,
        DnsCommitted,
        Completed,
        AlertRaised,
        Acknowledged,
        AutomationPaused,
        AutomationResumed,
        EvacuationStarted,
        EvacuationAborted,
        ApprovalRequested,
        ApprovalGranted,
        ApprovalRejected,
        ApprovalWithdrawn,
        MembershipChange,
        AuditRecorded,
        AuditTruncated,
        BreakGlassUsed,
        RegionKeyRotated,
        ReadOnlySet,
        WritePrimaryPromoted,
        MaintenanceScheduled,
        MaintenanceCancelled,
        StatusPruned,
        AlertDelivered {
  /** Raft term the proposer believed it led in. */
  long proposerTerm();

  /** Proposer's clock, epoch millis. */
  long at();

  /** Proposing controller id. */
  String controller();
}
