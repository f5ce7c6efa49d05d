package io.pharos.dns.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": retry n waits between half and all of
 * {@code min(max, base * 2^(n-1))}. The jitter spreads retries of many clients apart (no
 * thundering herd after a throttle); the floor of half keeps a retry from coming at once.
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max) {
    this(base, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With a random source in [0, 1), for tests. */
  public Backoff(Duration base, Duration max, DoubleSupplier random) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max, was base " + base + ", max " + max);
    }
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The cap for retry {@code n} (1 for the first retry), before jitter. */
  public Duration ceiling(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1, was " + retry);
    }
    long ms = base.toMillis();
    for (int i = 1; i < retry && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }

  /** How long to wait before retry {@code n} (1 for the first retry). */
  public Duration delay(int retry) {
    long cap = ceiling(retry).toMillis();
    long half = cap / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (cap - half)));
  }
}
