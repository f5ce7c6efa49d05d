package io.pharos.core.journal;

import io.pharos.core.model.PharosEvent;
import java.util.List;
import java.util.Map;

/**
 * One incident of the status page and its report: a failover (until the regions are failed back),
 * an evacuation (until failed back or aborted), or a failback on its own. Built by the state machine
 * from the entries it applies ({@link StatusHistory}), so every replica holds the same incidents and
 * no leader has to remember to write them.
 *
 * @param id {@code inc-} and the first decision's (or evacuation's) id
 * @param kind what opened it
 * @param regions the regions concerned, in order of appearance
 * @param title what users read
 * @param status where it stands
 * @param openedAt proposer clock of the entry that opened it
 * @param resolvedAt when its regions were back in traffic (or the failback completed), or 0
 * @param decisionIds the intents that belong to it, in order
 * @param code the analysis code of the first decision
 * @param reason the first decision's evidence (or the evacuation's reason)
 * @param automatic whether the first decision was automatic
 * @param startedBy the operator behind the first decision or evacuation, or null for an automatic one
 * @param approvedBy who approved a decision that waited for an operator ({@code by: reason}), one per approval
 * @param weightsBefore the desired weights before the first decision
 * @param weightsAfter the desired weights after the latest decision
 * @param timeline the decisions' steps and the operator's actions, oldest first (at most {@link #MAX_TIMELINE})
 * @param alerts the journaled alerts raised and cleared while it was open (at most {@link #MAX_ALERTS})
 */
public record Incident(String id, Kind kind, List<String> regions, String title, Status status, long openedAt,
    long resolvedAt, List<String> decisionIds, String code, String reason, boolean automatic, String startedBy,
    List<String> approvedBy, Map<String, Map<String, Integer>> weightsBefore,
    Map<String, Map<String, Integer>> weightsAfter, List<PharosEvent> timeline, List<PharosEvent> alerts) {
  public static final int MAX_TIMELINE = 200;
  public static final int MAX_ALERTS = 100;

  public Incident {
    regions = List.copyOf(regions);
    decisionIds = List.copyOf(decisionIds);
    approvedBy = List.copyOf(approvedBy);
    weightsBefore = Map.copyOf(weightsBefore);
    weightsAfter = Map.copyOf(weightsAfter);
    timeline = List.copyOf(timeline);
    alerts = List.copyOf(alerts);
  }

  /** What opened an incident. */
  public enum Kind {
    FAILOVER,
    EVACUATION,
    FAILBACK
  }

  /** Where an incident stands (the words public status pages use). */
  public enum Status {
    /** A change is being carried out. */
    IDENTIFIED("Identified"),
    /** Traffic is away from the regions; waiting for them to come back. */
    MONITORING("Monitoring"),
    RESOLVED("Resolved");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public boolean open() {
    return status != Status.RESOLVED;
  }

  /** Whether {@code decisionId} is one of its intents (an evacuation's steps share its id as prefix). */
  public boolean owns(String decisionId) {
    return decisionId != null && (decisionIds.contains(decisionId)
        || kind == Kind.EVACUATION && decisionId.startsWith(id.substring("inc-".length()) + "-"));
  }

  /** The first event of {@code type} on its timeline (for {@code region} when not null), or null. */
  public PharosEvent first(io.pharos.core.model.EventType type, String decisionId) {
    for (PharosEvent e : timeline) {
      if (e.type() == type && (decisionId == null || decisionId.equals(e.decisionId()))) {
        return e;
      }
    }
    return null;
  }
}
