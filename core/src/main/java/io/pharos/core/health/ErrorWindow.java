package io.pharos.core.health;

/**
 * The error rate of one endpoint as one agent sees it, over a sliding window of time (the
 * controller's receive clock), in ten buckets. It restarts at a recovery, so the failures of an
 * outage never count as a degradation after it.
 */
final class ErrorWindow {
  static final int BUCKETS = 10;

  private final long bucketMs;
  private final long windowMs;
  private final long[] bucketId = new long[BUCKETS];
  private final int[] probes = new int[BUCKETS];
  private final int[] failures = new int[BUCKETS];
  private long since = Long.MIN_VALUE;

  ErrorWindow(long windowMs) {
    this.windowMs = Math.max(BUCKETS, windowMs);
    this.bucketMs = this.windowMs / BUCKETS;
    java.util.Arrays.fill(bucketId, Long.MIN_VALUE);
  }

  void add(long at, boolean failed) {
    if (since == Long.MIN_VALUE) {
      since = at;
    }
    long id = Math.floorDiv(at, bucketMs);
    int i = (int) Math.floorMod(id, BUCKETS);
    if (bucketId[i] != id) {
      bucketId[i] = id;
      probes[i] = 0;
      failures[i] = 0;
    }
    probes[i]++;
    failures[i] += failed ? 1 : 0;
  }

  /** Forgets everything: the window starts again at the next probe. */
  void restart() {
    java.util.Arrays.fill(bucketId, Long.MIN_VALUE);
    since = Long.MIN_VALUE;
  }

  /** Whether the window has been watched for its whole length since it (re)started. */
  boolean full(long now) {
    return since != Long.MIN_VALUE && now - since >= windowMs;
  }

  /** Share of failed probes over the window ending at {@code now}, or -1 when there were none. */
  double rate(long now) {
    return rate(now, 0, BUCKETS);
  }

  /** Share of failed probes in the newer half of the window ending at {@code now}, or -1 when there were none. */
  double recentRate(long now) {
    return rate(now, 0, BUCKETS / 2);
  }

  /**
   * The lower of the two halves' rates of the window ending at {@code now}: above a threshold only
   * when the errors went on through the whole window, not in one burst.
   */
  double sustainedRate(long now) {
    double older = rate(now, BUCKETS / 2, BUCKETS);
    double newer = rate(now, 0, BUCKETS / 2);
    return older < 0 || newer < 0 ? -1 : Math.min(older, newer);
  }

  /** Over the buckets {@code from} (inclusive, 0 = the current one) to {@code to} (exclusive) back from now. */
  private double rate(long now, int from, int to) {
    long newest = Math.floorDiv(now, bucketMs);
    long total = 0;
    long failed = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long age = newest - bucketId[i];
      if (age >= from && age < to) {
        total += probes[i];
        failed += failures[i];
      }
    }
    return total == 0 ? -1 : failed / (double) total;
  }
}
