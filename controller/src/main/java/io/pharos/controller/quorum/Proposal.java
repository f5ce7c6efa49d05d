package io.pharos.controller.quorum;

/**
 * The outcome of proposing a journal entry: committed at (term, index) and accepted or refused by
 * the state machine.
 */
public record Proposal(boolean accepted, String detail, long term, long index) {}
