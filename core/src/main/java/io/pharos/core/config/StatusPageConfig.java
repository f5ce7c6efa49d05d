package io.pharos.core.config;

import java.time.Duration;

/**
 * The {@code statusPage} section: the public status page the controllers serve ({@code /status},
 * {@code /status.json}, {@code /status/events}; docs/status-page.md).
 *
 * @param title the page's heading
 * @param retention how long resolved incidents and past maintenance stay in the history (the leader
 *     prunes older ones through the journal)
 * @param publicPage true: anyone may read it (DESIGN.md "Who may call what"); false: a viewer token is needed
 */
public record StatusPageConfig(String title, Duration retention, boolean publicPage) {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
  /** The history the journal can hold: a longer retention would only grow every snapshot. */
  public static final Duration MAX_RETENTION = Duration.ofDays(400);

  public StatusPageConfig {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("statusPage.title must not be blank");
    }
    if (retention == null || retention.isNegative() || retention.isZero() || retention.compareTo(MAX_RETENTION) > 0) {
      throw new IllegalArgumentException("statusPage.retention must be between 1ms and " + Durations.format(
          MAX_RETENTION) + ", was " + (retention == null ? "null" : Durations.format(retention)));
    }
  }

  public static StatusPageConfig defaults() {
    return new StatusPageConfig("Service status", DEFAULT_RETENTION, true);
  }
}
