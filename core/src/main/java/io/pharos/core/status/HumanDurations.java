package io.pharos.core.status;

import java.util.Locale;

/** Durations as people read them on a status page or in a report: {@code 4.2 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
public final class HumanDurations {
  private HumanDurations() {}

  public static String human(long ms) {
    long s = Math.max(0, ms) / 1000;
    if (s < 120) {
      return String.format(Locale.ROOT, "%.1f s", Math.max(0, ms) / 1000.0);
    }
    if (s < 7200) {
      return s / 60 + " min " + s % 60 + " s";
    }
    if (s < 172_800) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
  }
}
