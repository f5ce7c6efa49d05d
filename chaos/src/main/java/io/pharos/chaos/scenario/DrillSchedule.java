package io.pharos.chaos.scenario;

import io.pharos.core.config.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How often a drill should run, from a scenario's {@code schedule:}: {@code daily}, {@code weekly},
 * {@code monthly}, {@code quarterly}, {@code yearly}, their cron macros ({@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually}), a duration ({@code 30d},
 * {@code 12h}), or any of these after {@code every} ({@code every 30d}, {@code every quarter}).
 * A drill is overdue when its last run is older than this.
 */
public final class DrillSchedule {
  private static final Map<String, Duration> NAMED = Map.ofEntries(
      Map.entry("daily", Duration.ofDays(1)), Map.entry("day", Duration.ofDays(1)),
      Map.entry("weekly", Duration.ofDays(7)), Map.entry("week", Duration.ofDays(7)),
      Map.entry("monthly", Duration.ofDays(31)), Map.entry("month", Duration.ofDays(31)),
      Map.entry("quarterly", Duration.ofDays(92)), Map.entry("quarter", Duration.ofDays(92)),
      Map.entry("yearly", Duration.ofDays(366)), Map.entry("year", Duration.ofDays(366)),
      Map.entry("annually", Duration.ofDays(366)));

  private DrillSchedule() {}

  /** @throws IllegalArgumentException saying what is accepted */
  public static Duration parse(String schedule) {
    String s = schedule == null ? "" : schedule.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("@")) {
      s = s.substring(1);
    } else if (s.startsWith("every ")) {
      s = s.substring("every ".length()).strip();
    }
    Duration d = NAMED.get(s);
    if (d != null) {
      return d;
    }
    try {
      Duration parsed = Durations.parse(s);
      if (parsed.isZero() || parsed.isNegative()) {
        throw new IllegalArgumentException("zero");
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + schedule + "' is not a schedule: use daily, weekly, monthly, quarterly,"
          + " yearly (or @weekly ...), a duration such as 30d, or 'every 30d'");
    }
  }
}
