/**
 * Pharos agent: {@link io.pharos.agent.PharosAgent} probes every region's endpoints
 * ({@code probe}), turns results into signed reports ({@code report}), publishes them over a
 * Hazelcast client ({@code transport}), follows its region's mode lease ({@code mode}) and serves
 * {@code /v1/mode}, {@code /health}, {@code /ready} and {@code /v1/status} ({@code http}).
 * Thresholds are the controllers' business: the agent reports raw results.
 */
package io.pharos.agent;
