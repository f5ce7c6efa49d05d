package io.pharos.testkit.proxy;

import java.time.Duration;

/**
 * What a {@link TcpChaosProxy} does to the bytes it forwards.
 *
 * @param latency added to every chunk, each direction
 * @param jitter up to this much more, at random, per chunk
 * @param bandwidthBytesPerSecond per connection and direction; 0 = unlimited
 * @param resetRate probability (0..1) that a new connection, and each chunk, is reset (TCP RST)
 * @param blackhole accept connections and swallow everything: nothing ever comes back
 */
public record Toxics(Duration latency, Duration jitter, long bandwidthBytesPerSecond, double resetRate,
    boolean blackhole) {
  public static final Toxics NONE = new Toxics(Duration.ZERO, Duration.ZERO, 0, 0, false);

  public Toxics {
    if (latency.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException("latency and jitter must not be negative");
    }
    if (bandwidthBytesPerSecond < 0) {
      throw new IllegalArgumentException("bandwidthBytesPerSecond must not be negative, was " + bandwidthBytesPerSecond);
    }
    if (resetRate < 0 || resetRate > 1) {
      throw new IllegalArgumentException("resetRate must be between 0 and 1, was " + resetRate);
    }
  }

  public static Toxics latency(Duration latency, Duration jitter) {
    return new Toxics(latency, jitter, 0, 0, false);
  }

  public static Toxics bandwidth(long bytesPerSecond) {
    return new Toxics(Duration.ZERO, Duration.ZERO, bytesPerSecond, 0, false);
  }

  public static Toxics resets(double rate) {
    return new Toxics(Duration.ZERO, Duration.ZERO, 0, rate, false);
  }

  public static Toxics blackholed() {
    return new Toxics(Duration.ZERO, Duration.ZERO, 0, 0, true);
  }

  public boolean none() {
    return equals(NONE);
  }

  @Override
  public String toString() {
    if (none()) {
      return "no toxics";
    }
    StringBuilder sb = new StringBuilder();
    if (blackhole) {
      sb.append("blackhole ");
    }
    if (!latency.isZero() || !jitter.isZero()) {
      sb.append("latency ").append(latency.toMillis()).append("±").append(jitter.toMillis()).append(" ms ");
    }
    if (bandwidthBytesPerSecond > 0) {
      sb.append("bandwidth ").append(bandwidthBytesPerSecond).append(" B/s ");
    }
    if (resetRate > 0) {
      sb.append("resets ").append(resetRate * 100).append(" % ");
    }
    return sb.toString().strip();
  }
}
