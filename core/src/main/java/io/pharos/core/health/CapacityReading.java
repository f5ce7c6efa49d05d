package io.pharos.core.health;

/**
 * A region's capacity headroom as one of its own agents last read it.
 *
 * @param region the region
 * @param headroomPercent the share of its capacity it could still take on, 0..100
 * @param agentId the agent that read it
 * @param receivedAt controller clock when the report carrying it arrived
 */
public record CapacityReading(String region, int headroomPercent, String agentId, long receivedAt) {}
