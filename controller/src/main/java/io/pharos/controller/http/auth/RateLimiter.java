package io.pharos.controller.http.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls per key (an address, a token) in fixed one-minute windows, for the 429 answers and their
 * {@code X-RateLimit-*} headers. Holds at most {@code maxKeys} keys (the least recently used go
 * first), so a flood from many addresses cannot grow it.
 */
public final class RateLimiter {
  static final long WINDOW_MS = 60_000;
  private final Clock clock;
  private final int maxKeys;
  private final Map<String, long[]> windows;

  /** Where a key stands: whether this call may go ahead, and what the headers say. */
  public record Outcome(boolean allowed, int limit, int remaining, long resetSeconds) {}

  public RateLimiter(Clock clock, int maxKeys) {
    this.clock = clock;
    this.maxKeys = maxKeys;
    this.windows = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > RateLimiter.this.maxKeys;
      }
    };
  }

  /** Counts one call of {@code key}; not allowed once {@code limit} calls were made in the window. */
  public synchronized Outcome take(String key, int limit) {
    long[] w = window(key);
    if (w[1] < limit) {
      w[1]++;
      return outcome(w, limit, true);
    }
    return outcome(w, limit, false);
  }

  /** Where {@code key} stands, without counting a call: not allowed when the window is used up. */
  public synchronized Outcome peek(String key, int limit) {
    return outcome(window(key), limit, window(key)[1] < limit);
  }

  private long[] window(String key) {
    long now = clock.millis();
    long[] w = windows.get(key);
    if (w == null || now - w[0] >= WINDOW_MS) {
      w = new long[] {now, 0};
      windows.put(key, w);
    }
    return w;
  }

  private Outcome outcome(long[] w, int limit, boolean allowed) {
    long reset = Math.max(1, (w[0] + WINDOW_MS - clock.millis() + 999) / 1000);
    return new Outcome(allowed, limit, (int) Math.max(0, limit - w[1]), reset);
  }
}
