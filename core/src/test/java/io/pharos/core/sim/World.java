package io.pharos.core.sim;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.model.FailureKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A random simulated deployment and its fault schedule, all from one seed: 3 or 5 regions, one or
 * two endpoints each, one or two agents per region with a clock skew within ±2 s (three agents in eight
 * ±20 s or 15 minutes slow: freshness must not depend on it), and a history of
 * region losses, gray failures, observer partitions, lost or frozen agents and flapping endpoints.
 */
final class World {
  static final long T0 = 1_800_000_000_000L;
  /** Test-only master secret, not a secret. */
  static final String MASTER_SECRET = "test-only-master-secret-not-a-secret-0001";
  static final long DURATION = 120_000;
  static final long GRACE = 10_000;

  final long seed;
  final PharosConfig config;
  final List<String> regions = new ArrayList<>();
  final List<AgentSpec> agents = new ArrayList<>();
  final List<Fault> faults = new ArrayList<>();

  /** One agent: id, region and clock skew. */
  record AgentSpec(String id, String region, long skewMs) {}

  /** What one probe returns in the simulated world. */
  record Outcome(boolean ok, int latencyMicros, int status, FailureKind failure) {}

  World(long seed) {
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    int n = r.nextInt(4) == 0 ? 5 : 3;
    for (int i = 0; i < n; i++) {
      regions.add("r" + i);
    }
    this.config = ConfigLoader.parse(yaml(r), Map.of("PHAROS_MASTER_SECRET", MASTER_SECRET));
    SplittableRandom clocks = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
    for (String region : regions) {
      int count = r.nextInt(3) == 0 ? 2 : 1;
      for (int i = 0; i < count; i++) {
        long skew = r.nextLong(-2_000, 2_001);
        // from a stream of its own, so that the seeds' worlds stay what they were
        int big = clocks.nextInt(8);
        if (big < 3) {
          skew = new long[] {20_000, -20_000, -15 * 60_000}[big];
        }
        agents.add(new AgentSpec("agent-" + region + "-" + i, region, skew));
      }
    }
    scheduleFaults(r);
  }

  private String yaml(SplittableRandom r) {
    StringBuilder y = new StringBuilder("regions:\n");
    for (String region : regions) {
      y.append("  - name: ").append(region).append("\n    endpoints:\n");
      y.append("      - { id: app, url: \"http://").append(region).append(".example.test/healthz\" }\n");
      if (r.nextBoolean()) {
        y.append("      - { id: db, tcp: \"db.").append(region).append(".example.test:5432\", critical: ")
            .append(r.nextBoolean()).append(" }\n");
      }
    }
    y.append("dns:\n  zone: example.test\n  records:\n    - name: app.example.test\n      targets: {");
    for (int i = 0; i < regions.size(); i++) {
      y.append(i == 0 ? " " : ", ").append(regions.get(i)).append(": [\"10.0.0.").append(i + 1).append("\"]");
    }
    y.append(" }\n      weights: {");
    for (int i = 0; i < regions.size(); i++) {
      y.append(i == 0 ? " " : ", ").append(regions.get(i)).append(": ").append(10 + r.nextInt(90));
    }
    y.append(" }\ncontrollers:\n  peers:\n");
    for (int i = 0; i < 3; i++) {
      y.append("    - { id: c").append(i).append(", region: ").append(regions.get(i)).append(", raft: \"127.0.0.1:")
          .append(7600 + i).append("\", hazelcast: \"127.0.0.1:").append(5700 + i).append("\", api: \"127.0.0.1:")
          .append(8600 + i).append("\", dns: \"127.0.0.1:").append(5300 + i).append("\" }\n");
    }
    y.append("probes: { interval: 1s, timeout: 500ms, confirmAfter: 250ms, downAfter: 3, upAfter: 3 }\n");
    y.append("policy: { mode: auto, startupGrace: ").append(GRACE / 1000).append("s, cooldown: ")
        .append(10 + r.nextInt(40)).append("s, recoverAfter: ").append(5 + r.nextInt(15)).append("s, failback: ")
        .append(r.nextBoolean() ? "auto" : "manual").append(", maxAutoFailovers: { count: ")
        .append(1 + r.nextInt(3)).append(", per: 1h } }\n");
    return y.toString();
  }

  private void scheduleFaults(SplittableRandom r) {
    int count = 1 + r.nextInt(4);
    for (int i = 0; i < count; i++) {
      long from = 5_000 + r.nextLong(DURATION - 20_000);
      long to = Math.min(DURATION, from + 2_000 + r.nextLong(40_000));
      String region = regions.get(r.nextInt(regions.size()));
      switch (r.nextInt(9)) {
        case 0, 1 -> faults.add(new Fault.RegionLoss(region, r.nextBoolean(), T0 + from, T0 + to));
        case 6 -> {
          List<String> lost = new ArrayList<>(regions);
          java.util.Collections.shuffle(lost, new java.util.Random(r.nextLong()));
          // two or more regions, one time in four every region (fail-static)
          int k = r.nextInt(4) == 0 ? regions.size() : 2 + r.nextInt(regions.size() - 2);
          faults.add(new Fault.CorrelatedLoss(java.util.Set.copyOf(lost.subList(0, k)), T0 + from, T0 + to));
        }
        case 7 -> faults.add(new Fault.VantageSilent(region, T0 + from, T0 + to));
        case 8 -> {
          // a region's agents dead while another region is lost: its own agents confirm, or (frozen
          // whole) the evidence is one vantage short
          String other = regions.get((regions.indexOf(region) + 1 + r.nextInt(regions.size() - 1)) % regions.size());
          faults.add(new Fault.VantageSilent(region, T0 + from, T0 + to));
          long lossFrom = from + r.nextLong(3_000);
          faults.add(new Fault.RegionLoss(other, r.nextBoolean(), T0 + lossFrom,
              T0 + Math.min(DURATION, Math.max(to, lossFrom + 8_000))));
        }
        case 2 -> faults.add(new Fault.Gray(region, 0.05, r.nextBoolean() ? 0.05 : 0, T0 + from, T0 + to));
        case 3 -> {
          List<String> targets = new ArrayList<>(regions);
          targets.remove(region);
          if (r.nextBoolean() && targets.size() > 1) {
            targets.remove(r.nextInt(targets.size()));
          }
          faults.add(new Fault.ObserverPartition(region, java.util.Set.copyOf(targets), T0 + from, T0 + to));
        }
        case 4 -> {
          AgentSpec a = agents.get(r.nextInt(agents.size()));
          faults.add(new Fault.AgentSilent(a.id(), r.nextBoolean(), T0 + from, T0 + to));
        }
        default -> faults.add(new Fault.Flapping(region, "app", 1_000 + r.nextLong(3_000), T0 + from, T0 + to));
      }
    }
  }

  /** The truth for one probe from {@code vantage} of {@code region/endpoint} at {@code t}. */
  Outcome probe(String vantage, String region, String endpoint, long t, Random rnd) {
    for (Fault f : faults) {
      if (!f.activeAt(t)) {
        continue;
      }
      if (f instanceof Fault.RegionLoss l && l.region().equals(region)
          || f instanceof Fault.CorrelatedLoss c && c.regions().contains(region)) {
        return new Outcome(false, 1_000, 0, FailureKind.REFUSED);
      }
      if (f instanceof Fault.ObserverPartition p && p.vantage().equals(vantage) && p.targets().contains(region)) {
        return new Outcome(false, 500_000, 0, FailureKind.TIMEOUT);
      }
      if (f instanceof Fault.Flapping fl && fl.region().equals(region) && fl.endpoint().equals(endpoint)
          && fl.downAt(t)) {
        return new Outcome(false, 1_000, 503, FailureKind.STATUS);
      }
    }
    for (Fault f : faults) {
      if (f.activeAt(t) && f instanceof Fault.Gray g && g.region().equals(region)) {
        double x = rnd.nextDouble();
        if (x < g.errorRate()) {
          return new Outcome(false, 3_000, 500, FailureKind.STATUS);
        }
        if (x < g.errorRate() + g.slowRate()) {
          return new Outcome(true, 2_000_000, 200, FailureKind.NONE);
        }
      }
    }
    return new Outcome(true, 2_000, 200, FailureKind.NONE);
  }

  boolean agentSilent(String agentId, long t) {
    for (Fault f : faults) {
      if (f.activeAt(t)) {
        if (f instanceof Fault.AgentSilent s && s.agentId().equals(agentId)) {
          return true;
        }
        if (f instanceof Fault.RegionLoss l && l.agentsToo() && agentId.startsWith("agent-" + l.region() + "-")) {
          return true;
        }
        if (f instanceof Fault.VantageSilent v && agentId.startsWith("agent-" + v.region() + "-")) {
          return true;
        }
      }
    }
    return false;
  }

  boolean agentBuffers(String agentId, long t) {
    return faults.stream().anyMatch(f -> f.activeAt(t) && f instanceof Fault.AgentSilent s && s.agentId().equals(agentId)
        && s.buffered());
  }

  @Override
  public String toString() {
    return "seed " + seed + ": " + regions.size() + " regions, " + agents.size() + " agents, faults " + faults;
  }
}
