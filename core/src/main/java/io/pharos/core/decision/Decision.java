package io.pharos.core.decision;

import io.pharos.core.journal.Intent;
import io.pharos.core.journal.IntentKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A change the analysis calls for and the safety rules allow. The controller commits it as an
 * {@link Intent} before executing anything.
 */
public record Decision(
    String decisionId,
    IntentKind kind,
    List<String> regions,
    Set<String> out,
    Set<String> readOnly,
    Map<String, Map<String, Integer>> weights,
    AnalysisCode code,
    String reason,
    boolean automatic,
    long detectedAt,
    long firstFailureAt) {

  public Intent toIntent(long term, long at, String controller) {
    return new Intent(decisionId, kind, regions, out, readOnly, weights, code.label(), reason, automatic, detectedAt,
        firstFailureAt, term, at, controller);
  }
}
