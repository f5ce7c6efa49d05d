package io.pharos.core.journal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A change the leader is about to make, committed before anything is executed. Its (term, index)
 * is the fencing token carried by every external change that executes it.
 *
 * @param decisionId unique id
 * @param kind failover or failback
 * @param regions regions this intent takes out (failover) or brings back (failback)
 * @param out every region out of traffic once this intent is done
 * @param readOnly every region in read-only mode once this intent is done
 * @param weights DNS weights (record name to region to weight) once this intent is done
 * @param code analysis code behind it
 * @param reason evidence, for people
 * @param automatic false when an operator asked for it
 * @param detectedAt proposer clock when the region was judged down, or 0
 * @param firstFailureAt agent clock of the first failing probe behind the decision, or 0
 */
public record Intent(
    String decisionId,
    IntentKind kind,
    List<String> regions,
    Set<String> out,
    Set<String> readOnly,
    Map<String, Map<String, Integer>> weights,
    String code,
    String reason,
    boolean automatic,
    long detectedAt,
    long firstFailureAt,
    long proposerTerm,
    long at,
    String controller)
    implements JournalEntry {}
