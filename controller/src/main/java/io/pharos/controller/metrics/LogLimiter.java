package io.pharos.controller.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether a repeated event is worth a log line: at most one per key per interval, so a
 * misconfigured agent sending 10 reports a second, or a Raft call failing on every poll, cannot
 * flood the log. Every occurrence is still counted by the caller.
 */
public final class LogLimiter {
  private final long intervalMs;
  private final Map<String, Long> lastLogged = new HashMap<>();
  private final Map<String, Long> suppressed = new HashMap<>();

  public LogLimiter(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  /**
   * @return -1 when this one should not be logged, else how many were suppressed since the last
   *     line for this key
   */
  public synchronized long shouldLog(String source, String reason, long now) {
    String key = source + "|" + reason;
    Long last = lastLogged.get(key);
    if (last != null && now - last < intervalMs) {
      suppressed.merge(key, 1L, Long::sum);
      return -1;
    }
    lastLogged.put(key, now);
    Long n = suppressed.remove(key);
    if (lastLogged.size() > 10_000) {
      lastLogged.clear();
      suppressed.clear();
    }
    return n == null ? 0 : n;
  }
}
