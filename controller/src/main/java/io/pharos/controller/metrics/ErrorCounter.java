package io.pharos.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Where an error that the code carries on after goes: counted in {@code pharos.errors} by kind, and
 * logged at most once per kind per minute (with how many were not logged since), so a failure on
 * a path polled every few milliseconds is visible without flooding the log. No caught exception in
 * the controller is dropped without passing here or being logged and counted on its own.
 */
public final class ErrorCounter {
  static final long LOG_INTERVAL_MS = 60_000;

  private final MeterRegistry registry;
  private final Clock clock;
  private final LogLimiter limiter = new LogLimiter(LOG_INTERVAL_MS);
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public ErrorCounter(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * @param log the logger of the code that caught it
   * @param kind a short stable name, the metric's {@code kind} tag (e.g. {@code raft.division})
   * @param what what was being done, for the log line
   */
  public void record(Logger log, String kind, String what, Throwable e) {
    count(kind);
    long suppressed = limiter.shouldLog("errors", kind, clock.millis());
    if (suppressed >= 0) {
      log.warn("{} ({}): {}{}", what, kind, describe(e), suppressed > 0 ? "; " + suppressed
          + " more since the last line" : "");
    }
  }

  /** Counts one error of {@code kind} that the caller logs itself. */
  public void count(String kind) {
    counters.computeIfAbsent(kind, k -> Counter.builder("pharos.errors").tag("kind", k)
        .description("errors the controller carried on after, by kind").register(registry)).increment();
  }

  /** How many errors of {@code kind} were counted. */
  public double counted(String kind) {
    Counter c = counters.get(kind);
    return c == null ? 0 : c.count();
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? e.toString() : e + " (cause: " + t + ")";
  }
}
