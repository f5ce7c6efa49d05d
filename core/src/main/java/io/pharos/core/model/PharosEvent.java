package io.pharos.core.model;

/**
 * One timeline entry. {@code at} is the emitting controller's clock (epoch millis).
 *
 * @param at when it happened
 * @param type what step
 * @param region region concerned, or null
 * @param decisionId decision concerned, or null
 * @param code analysis code or state name, or null
 * @param detail human-readable detail
 * @param controller id of the controller that emitted it
 * @param token fencing token of the decision, or null
 */
public record PharosEvent(
    long at, EventType type, String region, String decisionId, String code, String detail, String controller,
    FencingToken token) {}
