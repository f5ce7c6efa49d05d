package io.pharos.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deterministic decision simulation: random worlds and fault histories through the real decision
 * pipeline, each checked against the safety and liveness properties in {@link Checker}. Replay a
 * failing seed with {@code -Dpharos.sim.seed=<seed>}; run more with {@code -Dpharos.sim.seeds=N}.
 */
class DecisionSimulationTest {
  static final int DEFAULT_SEEDS = 1000;

  @Test
  void everyHistoryKeepsTheSafetyAndLivenessProperties() {
    String one = System.getProperty("pharos.sim.seed");
    int seeds = Integer.getInteger("pharos.sim.seeds", DEFAULT_SEEDS);
    long first = one != null ? Long.parseLong(one) : 1;
    int count = one != null ? 1 : seeds;
    List<String> failures = new ArrayList<>();
    int failovers = 0;
    int losses = 0;
    for (long seed = first; seed < first + count; seed++) {
      World world = new World(seed);
      Simulation sim = new Simulation(world).run();
      List<String> violations = new Checker(sim).check();
      failovers += sim.executed.size();
      losses += (int) world.faults.stream().filter(f -> f instanceof Fault.RegionLoss).count();
      if (!violations.isEmpty()) {
        failures.add("seed " + seed + " (replay: -Dpharos.sim.seed=" + seed + "): " + violations + "\n    world: "
            + world);
      }
    }
    System.out.printf("decision simulation: %d seeds, %d region losses, %d executed decisions, %d failing%n", count,
        losses, failovers, failures.size());
    assertThat(failures).as("failing seeds").isEmpty();
  }
}
