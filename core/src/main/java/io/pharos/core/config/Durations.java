package io.pharos.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as {@code 250ms}, {@code 1s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** The longest duration accepted: longer ones are typing mistakes, and would overflow nanosecond arithmetic. */
  public static final Duration MAX = Duration.ofDays(36_500);

  /** Parses a duration of 0 up to {@link #MAX}; throws {@link IllegalArgumentException} with a message for a user. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 1s, 5m, 1h");
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use a number and ms, s, m, h or d: 500ms, 1s, 5m)");
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      d = null;
    }
    if (d == null || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("'" + text.trim() + "' is too long; the longest duration accepted is "
          + format(MAX) + " (100 years)");
    }
    return d;
  }

  /** {@link #parse} for a duration that must be greater than 0. */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be greater than 0");
    }
    return d;
  }

  /** The shortest exact text form: {@code 1500ms}, {@code 2s}, {@code 5m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms != 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
