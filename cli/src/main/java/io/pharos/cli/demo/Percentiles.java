package io.pharos.cli.demo;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of a benchmark's runs, in milliseconds, from an HdrHistogram.
 *
 * <p>A percentile is the nearest rank: p99 is the smallest recorded value that at least 99 % of
 * the runs did not exceed, so with fewer than 100 runs p99 is the slowest run. Four significant
 * digits keep every value under 32.7 s exact (the targets it is compared with are 3 s and 5 s);
 * above that a value is reported at most 0.01 % high.
 */
public final class Percentiles {
  private final Histogram histogram = new Histogram(4);

  /** @param samplesMs latencies in ms, each ≥ 0 (a run that missed its mark is left out by the caller) */
  public Percentiles(List<Long> samplesMs) {
    for (long v : samplesMs) {
      if (v < 0) {
        throw new IllegalArgumentException("a latency sample is ≥ 0 ms, was " + v);
      }
      histogram.recordValue(v);
    }
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** The value at percentile {@code p} (0 < p ≤ 100), nearest rank; -1 when empty. */
  public long at(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("a percentile is in (0, 100], was " + p);
    }
    return count() == 0 ? -1 : histogram.getValueAtPercentile(p);
  }

  /** The slowest run; -1 when empty. */
  public long max() {
    return count() == 0 ? -1 : histogram.getMaxValue();
  }

  /** One Markdown table row: name, count, p50, p95, p99, max, target. */
  public String row(String name, String target) {
    return "| " + name + " | " + count() + " | " + at(50) + " ms | " + at(95) + " ms | " + at(99) + " ms | " + max()
        + " ms | " + target + " |\n";
  }
}
