package io.pharos.cli.demo;

import io.pharos.chaos.observe.EventFeed;
import io.pharos.core.model.EventType;
import io.pharos.core.model.PharosEvent;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repeats the demo's hard region loss on one sandbox: kill a region's app, measure fault →
 * detected and fault → DNS committed from the controllers' timeline, restart the app, wait for
 * the automatic failback, next region. Bounded by the number of runs and a per-run deadline.
 */
public final class RegionLossBench {
  /** Policy for repeated runs: automatic failback after a short stabilisation, short cooldown. */
  public static final String POLICY = "{ mode: auto, cooldown: 2s, startupGrace: 5s, recoverAfter: 3s, failback: auto,"
      + " maxAutoFailovers: { count: 1000, per: 1h } }";

  /** One run's measurements, -1 when not seen. */
  public record Run(String region, long detectedMs, long dnsMs, boolean leaderLost) {}

  private final LocalSandbox sandbox;
  private final PrintStream out;

  public RegionLossBench(LocalSandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  public List<Run> run(int runs) {
    List<Run> results = new ArrayList<>();
    List<SandboxRegion> regions = sandbox.regions();
    for (int i = 0; i < runs; i++) {
      SandboxRegion victim = regions.get(i % regions.size());
      LocalSandbox.await(Duration.ofSeconds(90), "every region healthy and back in", sandbox::settled);
      boolean leaderHere = sandbox.leader().map(l -> l.name().equals(victim.name())).orElse(false);
      long t0 = System.currentTimeMillis();
      victim.app().kill();
      EventFeed feed = new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), t0,
          sandbox.viewerToken());
      long detected = -1;
      long dns = -1;
      long deadline = t0 + 30_000;
      while (System.currentTimeMillis() < deadline && dns < 0) {
        for (PharosEvent e : feed.poll()) {
          if (e.region() != null && e.region().contains(victim.name())) {
            if (e.type() == EventType.DETECTED && detected < 0) {
              detected = e.at() - t0;
            } else if (e.type() == EventType.DNS_COMMITTED && dns < 0) {
              dns = e.at() - t0;
            }
          }
        }
        pause(50);
      }
      Run r = new Run(victim.name(), detected, dns, leaderHere);
      results.add(r);
      out.printf("run %2d/%d  %-9s detected %6s  DNS committed %6s%n", i + 1, runs, victim.name(), ms(detected),
          ms(dns));
      sandbox.startApp(victim);
    }
    LocalSandbox.await(Duration.ofSeconds(90), "every region healthy and back in", sandbox::settled);
    return results;
  }

  private static String ms(long v) {
    return v < 0 ? "-" : v + " ms";
  }

  /** A healthy stretch with no fault: what the controllers decided and alerted meanwhile. */
  public record Healthy(long seconds, List<PharosEvent> decisions, List<PharosEvent> alerts) {}

  /**
   * Leaves the healthy sandbox alone for {@code length} and collects every decision (each one a
   * false failover, since nothing failed) and alert from the controllers' timeline. Bounded by
   * {@code length}; polls once a second.
   */
  public Healthy healthy(Duration length) {
    LocalSandbox.await(Duration.ofSeconds(90), "every region healthy and back in", sandbox::settled);
    long t0 = System.currentTimeMillis();
    EventFeed feed = new EventFeed(sandbox.regions().stream().map(SandboxRegion::apiUrl).toList(), t0,
        sandbox.viewerToken());
    List<PharosEvent> decisions = new ArrayList<>();
    List<PharosEvent> alerts = new ArrayList<>();
    long end = t0 + length.toMillis();
    long nextLine = t0 + 60_000;
    while (System.currentTimeMillis() < end) {
      for (PharosEvent e : feed.poll()) {
        if (e.type() == EventType.DECIDED) {
          decisions.add(e);
          out.printf("DECIDED during the healthy run: %s %s%n", e.region(), e.detail());
        } else if (e.type() == EventType.ALERT) {
          alerts.add(e);
        }
      }
      if (System.currentTimeMillis() >= nextLine) {
        out.printf("healthy run: %d s, %d decisions, %d alerts%n", (System.currentTimeMillis() - t0) / 1000,
            decisions.size(), alerts.size());
        nextLine += 60_000;
      }
      pause(1_000);
    }
    return new Healthy((System.currentTimeMillis() - t0) / 1000, decisions, alerts);
  }

  /** Markdown lines of a healthy run. */
  public static String markdown(Healthy h) {
    int n = h.decisions().size();
    String codes = String.join(", ", h.alerts().stream().map(PharosEvent::code).distinct().sorted().toList());
    return "\nHealthy run, no fault, " + h.seconds() + " s: **" + n + " false failover" + (n == 1 ? "" : "s")
        + "** (decisions of any kind), " + h.alerts().size() + " alert event" + (h.alerts().size() == 1 ? "" : "s")
        + (codes.isEmpty() ? "" : " (" + codes + ")") + ".\n";
  }

  /** Markdown summary of the runs. */
  public static String markdown(List<Run> runs) {
    Percentiles detected = new Percentiles(runs.stream().filter(r -> r.detectedMs() >= 0).map(Run::detectedMs).toList());
    Percentiles dns = new Percentiles(runs.stream().filter(r -> r.dnsMs() >= 0).map(Run::dnsMs).toList());
    long missed = runs.stream().filter(r -> r.dnsMs() < 0).count();
    StringBuilder sb = new StringBuilder();
    sb.append("| measure | runs | p50 | p95 | p99 | max | target |\n|---|---|---|---|---|---|---|\n");
    sb.append(detected.row("fault → detected", "≤ 3 s p99"));
    sb.append(dns.row("fault → DNS committed", "≤ 5 s p99"));
    sb.append("\nRuns without a DNS change within 30 s: ").append(missed).append(". ");
    if (runs.size() < 100) {
      sb.append("With fewer than 100 runs the p99 is the largest or next-to-largest sample.");
    }
    sb.append('\n');
    return sb.toString();
  }


  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
