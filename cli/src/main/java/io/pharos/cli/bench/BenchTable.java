package io.pharos.cli.bench;

import java.util.List;

/** What the repeated failover benchmarks share: their percentile table, their printing and their poll pause. */
final class BenchTable {
  private BenchTable() {}

  /**
   * A Markdown table of percentile rows ({@code Percentiles.row}) under {@code what}, and the count
   * of runs where the last step was not seen.
   */
  static String of(String what, List<String> rows, String missingLabel, long missing) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(what).append(" | runs | p50 | p95 | p99 | max | target |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    rows.forEach(sb::append);
    sb.append('\n').append(missingLabel).append(": ").append(missing).append(".\n");
    return sb.toString();
  }

  /** A measured time, or "-" when it was not seen. */
  static String ms(long v) {
    return v < 0 ? "-" : v + " ms";
  }

  /** The pause between two looks of a run's poll loop (each loop is bounded by its deadline). */
  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
