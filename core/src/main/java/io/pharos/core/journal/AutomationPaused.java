package io.pharos.core.journal;

/**
 * An operator paused automatic action (a maintenance window). Decisions are still made and
 * alerted; none is executed until {@link AutomationResumed} or {@code until} passes.
 *
 * @param by who
 * @param reason why
 * @param until proposer-clock epoch millis when the pause ends by itself, or 0 for no end
 */
public record AutomationPaused(String by, String reason, long until, long proposerTerm, long at, String controller)
    implements JournalEntry {}
