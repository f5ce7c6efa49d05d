package io.pharos.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * What one fleet benchmark run is ({@code pharos bench-fleet}), checked when made.
 *
 * @param burstAgents agents of the burst
 * @param soakAgents agents kept for the soak (at most the burst's)
 * @param soak soak duration
 * @param drivers driver JVMs (agents spread over them, regions in turn)
 * @param driverHeapMb each driver's -Xmx
 * @param controllerHeapMb each controller's -Xmx (the sandbox's lean flags otherwise: SerialGC, C1)
 * @param regionLoss whether to kill a region's app halfway through the soak
 * @param controllerFlags the controllers' JVM flags instead of the sandbox's lean ones (empty: those)
 * @param driverNice the drivers' niceness (0..19, via {@code nice}): they stand in for agents on other
 *     machines, so they may yield the cores they share here to the controllers. (Linux's idle class,
 *     {@code chrt --idle}, starved them: 1,000 agents missed their heartbeats and reconnected.)
 */
public record FleetOptions(int burstAgents, int soakAgents, Duration soak, int drivers, int driverHeapMb,
    int controllerHeapMb, boolean regionLoss, List<String> controllerFlags, int driverNice) {
  public FleetOptions(int burstAgents, int soakAgents, Duration soak, int drivers, int driverHeapMb,
      int controllerHeapMb, boolean regionLoss) {
    this(burstAgents, soakAgents, soak, drivers, driverHeapMb, controllerHeapMb, regionLoss, List.of(), 0);
  }

  public FleetOptions {
    controllerFlags = List.copyOf(controllerFlags);
    if (burstAgents < 3 || burstAgents > 5000) {
      throw new IllegalArgumentException("burst agents must be 3..5000, was " + burstAgents);
    }
    if (soakAgents < 3 || soakAgents > burstAgents) {
      throw new IllegalArgumentException("soak agents must be 3.." + burstAgents + ", was " + soakAgents);
    }
    if (soak.toSeconds() < 10 || soak.toHours() > 4) {
      throw new IllegalArgumentException("soak must be 10 s..4 h, was " + soak.toSeconds() + " s");
    }
    if (drivers < 1 || drivers > 64 || drivers > burstAgents) {
      throw new IllegalArgumentException("drivers must be 1..64 (and at most the agents), was " + drivers);
    }
    if (driverNice < 0 || driverNice > 19) {
      throw new IllegalArgumentException("driver niceness must be 0..19, was " + driverNice);
    }
    if (driverHeapMb < 64 || driverHeapMb > 8192 || controllerHeapMb < 64 || controllerHeapMb > 8192) {
      throw new IllegalArgumentException("driver and controller heaps must be 64..8192 MB, were " + driverHeapMb
          + ", " + controllerHeapMb);
    }
  }
}
