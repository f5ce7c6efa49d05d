package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import java.time.Clock;

/** Latency from the monotonic ticker, timestamps from the wall clock; builds observations. */
final class ProbeClock {
  private final Clock clock;
  private final Ticker ticker;

  ProbeClock(Clock clock, Ticker ticker) {
    this.clock = clock;
    this.ticker = ticker;
  }

  long start() {
    return ticker.nanos();
  }

  Observation up(ProbeTarget t, long startNanos, int status) {
    return Observation.up(t.region(), t.endpoint().id(), micros(startNanos), status, clock.millis());
  }

  Observation down(ProbeTarget t, long startNanos, int status, FailureKind kind) {
    return Observation.down(t.region(), t.endpoint().id(), micros(startNanos), status, kind, clock.millis());
  }

  private int micros(long startNanos) {
    long micros = (ticker.nanos() - startNanos) / 1000L;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, micros));
  }
}
