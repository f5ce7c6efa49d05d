package io.pharos.core.journal;

/**
 * The result of applying one journal entry.
 *
 * @param state the state after it (unchanged when rejected)
 * @param accepted whether it took effect
 * @param detail the reason for a rejection, else empty
 */
public record Applied(ControlState state, boolean accepted, String detail) {}
