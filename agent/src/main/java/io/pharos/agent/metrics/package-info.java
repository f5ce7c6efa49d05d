/** The agent's Prometheus metrics, served on its HTTP endpoint as {@code GET /metrics} (docs/metrics.md). */
package io.pharos.agent.metrics;
