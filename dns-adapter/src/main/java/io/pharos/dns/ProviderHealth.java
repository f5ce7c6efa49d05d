package io.pharos.dns;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a provider can take a change now. Read by readiness checks, metrics and the status
 * page, so the detail says what is wrong in words an operator can act on.
 *
 * @param state UP, DEGRADED (works, but retrying or a breaker trial is running) or DOWN
 * @param detail what is wrong and what to do, or what is served
 * @param breaker the circuit breaker's state (CLOSED, OPEN, HALF_OPEN), or NONE for providers
 *     without one
 * @param counters monotonic counters for metrics: requests, retries, throttled, failures, ...
 */
public record ProviderHealth(State state, String detail, String breaker, Map<String, Long> counters) {
  /** Health states, best first. */
  public enum State {
    UP,
    DEGRADED,
    DOWN
  }

  public ProviderHealth {
    java.util.Objects.requireNonNull(state, "state");
    detail = detail == null ? "" : detail;
    breaker = breaker == null ? "NONE" : breaker;
    counters = Collections.unmodifiableMap(new TreeMap<>(counters));
  }

  /** Whether a change can be attempted now (UP or DEGRADED); readiness turns false on DOWN. */
  public boolean healthy() {
    return state != State.DOWN;
  }

  public static ProviderHealth healthy(String detail) {
    return new ProviderHealth(State.UP, detail, "NONE", Map.of());
  }

  public static ProviderHealth unhealthy(String detail) {
    return new ProviderHealth(State.DOWN, detail, "NONE", Map.of());
  }
}
