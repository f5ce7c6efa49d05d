package io.pharos.cli.bench;

import io.pharos.chaos.observe.EventFeed;
import io.pharos.cli.demo.Percentiles;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.net.PartitionInjector;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A partitioned region against a killed one (issue 13: "a partitioned region is failed over as
 * fast as a killed one"): kill -9 of a region's app; a whole region (app, agent, controller) cut
 * off from the other two with iptables between network namespaces, with the leader elsewhere; and
 * the same with the leader in the cut region. Times are read from the majority's timeline, from
 * the fault: detected (region DOWN) and DNS committed. Each run is bounded (30 s), then restored
 * (app restarted or partition healed) and the sandbox awaited healthy, failed back, with a leader.
 */
public final class RegionCutBench {
  /** What happens to the region. */
  public enum Mode {
    KILLED,
    PARTITIONED,
    LEADER_PARTITIONED
  }

  /** One run: -1 when not seen within the deadline. */
  public record Run(Mode mode, String region, boolean leaderInRegion, long detectedMs, long dnsCommittedMs) {}

  private final LocalSandbox sandbox;
  private final PrintStream out;

  public RegionCutBench(LocalSandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  public List<Run> run(Mode mode, int runs) {
    List<Run> results = new ArrayList<>();
    int turn = 0;
    for (int i = 0; i < runs; i++) {
      LocalSandbox.await(Duration.ofSeconds(180), "a healthy sandbox with a leader", sandbox::settled);
      SandboxRegion leader = sandbox.leader().orElseThrow();
      SandboxRegion target = mode == Mode.LEADER_PARTITIONED ? leader : pickNotLeader(leader, turn++);
      List<SandboxRegion> others = sandbox.regions().stream().filter(r -> r != target).toList();
      long t0 = System.currentTimeMillis();
      PartitionInjector.Cut cut = null;
      if (mode == Mode.KILLED) {
        target.app().kill();
      } else {
        cut = sandbox.partition(sandbox.nodes(Set.of(target.name())),
            sandbox.nodes(Set.copyOf(others.stream().map(SandboxRegion::name).toList())));
      }
      long[] times = failover(sandbox, target, t0);
      long detected = times[0];
      long committed = times[1];
      results.add(new Run(mode, target.name(), target == leader, detected, committed));
      out.printf("run %2d/%d %-18s %-9s%s detected %6s  DNS committed %6s%n", i + 1, runs, mode, target.name(),
          target == leader ? " (leader)" : "         ", BenchTable.ms(detected), BenchTable.ms(committed));
      if (cut != null) {
        sandbox.heal(cut);
      } else {
        sandbox.startApp(target);
      }
    }
    return results;
  }

  /**
   * Fault → detected and fault → DNS committed for {@code target} (lost at {@code t0}), read from
   * the other regions' controllers' timeline; -1 each when not seen within 30 s.
   */
  static long[] failover(LocalSandbox sandbox, SandboxRegion target, long t0) {
    List<String> others = sandbox.regions().stream().filter(r -> r != target).map(SandboxRegion::apiUrl).toList();
    EventFeed feed = new EventFeed(others, t0, sandbox.viewerToken());
    long detected = -1;
    long committed = -1;
    long deadline = t0 + 30_000;
    while (System.currentTimeMillis() < deadline && committed < 0) {
      for (PharosEvent e : feed.poll()) {
        boolean about = e.region() != null && List.of(e.region().split(",")).contains(target.name());
        if (about && e.type() == EventType.DETECTED && detected < 0) {
          detected = e.at() - t0;
        }
        if (about && e.type() == EventType.DNS_COMMITTED && committed < 0) {
          committed = e.at() - t0;
        }
      }
      BenchTable.pause(20);
    }
    return new long[] {detected, committed};
  }

  private SandboxRegion pickNotLeader(SandboxRegion leader, int turn) {
    List<SandboxRegion> candidates = sandbox.regions().stream().filter(r -> r != leader).toList();
    return candidates.get(turn % candidates.size());
  }

  /** Markdown summary. */
  public static String markdown(Mode mode, List<Run> runs) {
    Percentiles detected = new Percentiles(runs.stream().filter(r -> r.detectedMs() >= 0).map(Run::detectedMs)
        .toList());
    Percentiles committed = new Percentiles(runs.stream().filter(r -> r.dnsCommittedMs() >= 0)
        .map(Run::dnsCommittedMs).toList());
    String what = switch (mode) {
      case KILLED -> "app killed (kill -9), leader elsewhere";
      case PARTITIONED -> "region partitioned, leader elsewhere";
      case LEADER_PARTITIONED -> "region partitioned, the leader in it";
    };
    return BenchTable.of(what, List.of(detected.row("fault → detected", "≤ 3 s"),
        committed.row("fault → DNS committed", "≤ 5 s")), "Runs without a DNS change within 30 s",
        runs.stream().filter(r -> r.dnsCommittedMs() < 0).count());
  }
}
