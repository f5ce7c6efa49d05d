package io.pharos.core.journal;

import java.util.List;

/**
 * An operator started an evacuation. The state machine records the plan and the weights to
 * restore on abort; the decision engine then takes the steps one by one.
 *
 * @param evacuationId id, {@code ev-<region>-<millis>}
 * @param steps percentages of the configured weight, validated by {@code EvacuationPlan}
 * @param holdMs time between steps
 */
public record EvacuationStarted(
    String evacuationId, String region, List<Integer> steps, long holdMs, String by, String reason, long proposerTerm,
    long at, String controller)
    implements JournalEntry {}
