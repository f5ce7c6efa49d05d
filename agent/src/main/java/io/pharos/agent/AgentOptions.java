package io.pharos.agent;

import io.pharos.core.config.HostPort;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What distinguishes one agent process from another running the same config.
 *
 * @param agentId unique agent id (at most 128 UTF-8 bytes: it travels in every report)
 * @param region the region this agent runs in (its vantage); must be a configured region
 * @param listen address of the HTTP endpoint ({@code /v1/mode}, {@code /health}, ...); port 0
 *     picks a free port, see {@link PharosAgent#httpPort()}
 * @param bufferLimit how many signed reports are kept while no controller can be reached; past it
 *     the oldest is dropped and counted
 */
public record AgentOptions(String agentId, String region, HostPort listen, int bufferLimit) {
  public static final int DEFAULT_BUFFER_LIMIT = 300;
  static final int MAX_ID_BYTES = 128;

  public AgentOptions {
    if (agentId == null || agentId.isBlank()) {
      throw new IllegalArgumentException("agentId must not be blank");
    }
    if (agentId.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("agentId must be at most " + MAX_ID_BYTES + " bytes, was '" + agentId + "'");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    Objects.requireNonNull(listen, "listen address is required (port 0 picks a free port)");
    if (bufferLimit < 1) {
      throw new IllegalArgumentException("bufferLimit must be at least 1, was " + bufferLimit);
    }
  }

  /** Options with the default buffer limit ({@value #DEFAULT_BUFFER_LIMIT} reports). */
  public static AgentOptions of(String agentId, String region, HostPort listen) {
    return new AgentOptions(agentId, region, listen, DEFAULT_BUFFER_LIMIT);
  }
}
