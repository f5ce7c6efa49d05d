package io.pharos.cli.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a small sample. */
public final class Percentiles {
  private final List<Long> sorted;

  public Percentiles(List<Long> samples) {
    List<Long> s = new ArrayList<>(samples);
    Collections.sort(s);
    this.sorted = s;
  }

  public int count() {
    return sorted.size();
  }

  /** The value at percentile {@code p} (0 < p ≤ 100), nearest rank; -1 when empty. */
  public long at(double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public long max() {
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
  }

  /** One Markdown table row: name, count, p50, p95, p99, max, target. */
  public String row(String name, String target) {
    return "| " + name + " | " + count() + " | " + at(50) + " ms | " + at(95) + " ms | " + at(99) + " ms | " + max()
        + " ms | " + target + " |\n";
  }

  public long min() {
    return sorted.isEmpty() ? -1 : sorted.get(0);
  }
}
