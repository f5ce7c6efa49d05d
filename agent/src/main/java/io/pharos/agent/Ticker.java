package io.pharos.agent;

/**
 * A monotonic time source. Leases and latencies run on it, never on the wall clock, so that a
 * stepped or skewed wall clock can neither extend nor cut a mode lease.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanos();

  default long millis() {
    return nanos() / 1_000_000L;
  }

  static Ticker system() {
    return System::nanoTime;
  }
}
