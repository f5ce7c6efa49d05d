package io.pharos.core.sim;

import java.util.Set;

/** Something wrong in the simulated world during [from, to). */
sealed interface Fault {
  long from();

  long to();

  default boolean activeAt(long t) {
    return t >= from() && t < to();
  }

  /** Every probe of the region's endpoints fails (connection refused). */
  record RegionLoss(String region, boolean agentsToo, long from, long to) implements Fault {}

  /**
   * Several regions lost at the same moment (a bad deploy to more than one region), their agents
   * still reporting; every region at once when {@code regions} holds them all.
   */
  record CorrelatedLoss(Set<String> regions, long from, long to) implements Fault {}

  /** Every agent of the region is silent (dead or cut off from the controllers); its app serves. */
  record VantageSilent(String region, long from, long to) implements Fault {}

  /** A share of probes fails or is slower than the latency budget; the region still serves. */
  record Gray(String region, double errorRate, double slowRate, long from, long to) implements Fault {}

  /** The vantage's probes of the targets time out; the targets are fine. */
  record ObserverPartition(String vantage, Set<String> targets, long from, long to) implements Fault {}

  /** The agent sends nothing; when {@code buffered}, it delivers what it kept on resume (late). */
  record AgentSilent(String agentId, boolean buffered, long from, long to) implements Fault {}

  /** The endpoint alternates down/up every {@code halfPeriodMs}, starting down. */
  record Flapping(String region, String endpoint, long halfPeriodMs, long from, long to) implements Fault {
    boolean downAt(long t) {
      return activeAt(t) && ((t - from) / halfPeriodMs) % 2 == 0;
    }
  }
}
