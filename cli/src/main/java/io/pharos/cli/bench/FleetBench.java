package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.cli.demo.RegionLossBench;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent fleet (issue 17 #4): a controller trio and every region's app on loopback, no
 * sandbox agent; the agents are simulated by driver JVMs ({@link FleetDriver}, {@code pharos
 * bench-fleet-driver}), each holding many agents, one Hazelcast client per agent configured as a
 * real agent's. Three phases, each bounded in time:
 *
 * <ol>
 *   <li>Burst: every driver starts at once with all its agents; measured are the time until every
 *       client is connected and until every controller holds state for every agent (it verified a
 *       report of each: {@code pharos_ingest_agents}).
 *   <li>Soak: the drivers keep {@code soakAgents} agents for {@code soak}; every 10 s each
 *       controller's CPU and RSS, and every minute its heap after a full GC ({@code jcmd GC.run},
 *       {@code GC.heap_info}), with a least-squares slope per minute. Halfway through, a region's
 *       app is killed (never the leader's region): fault → detected and → DNS committed from the
 *       other controllers' timeline; the app is restarted and the automatic failback awaited.
 *   <li>Accounting: the drivers stop, every publish answered; once the controllers' counters stop
 *       moving, every controller's accepted + rejected (by reason) against the frames the drivers
 *       had acknowledged (two per report: the second copy is a {@code duplicate}). A publish that
 *       failed at the client may still have arrived, so lost counts acknowledged frames a controller
 *       did not count, and counts beyond acknowledged + failed are reported apart.
 * </ol>
 *
 * <p>Findings so far (docs/benchmarks.md, "Agent fleet"): each client runs about 20 threads. On 2
 * shared cores 500 agents hold for 30 minutes with nothing lost; 1,000 join without loss in 131–159 s
 * with the controllers' own flags (ZGC) and the drivers at nice 10, the CPU the limit.
 */
public final class FleetBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SAMPLE_MS = 10_000;
  private static final long GC_EVERY_MS = 60_000;

  private final Launcher launcher;
  private final PrintStream out;

  public FleetBench(Launcher launcher, PrintStream out) {
    this.launcher = launcher;
    this.out = out;
  }

  public ObjectNode run(Path runDir, FleetOptions o) throws InterruptedException {
    ObjectNode result = JSON.createObjectNode();
    result.put("burstAgents", o.burstAgents()).put("soakAgents", o.soakAgents())
        .put("soakSeconds", o.soak().toSeconds()).put("drivers", o.drivers()).put("loadBefore", ProcStat.loadAverage());
    result.put("controllerHeapMb", o.controllerHeapMb());
    List<String> controllerJvm = new ArrayList<>(o.controllerFlags().isEmpty() ? Launcher.LEAN : o.controllerFlags());
    controllerJvm.add("-Xmx" + o.controllerHeapMb() + "m");
    result.put("controllerJvm", String.join(" ", controllerJvm)).put("driverNice", o.driverNice());
    try (LocalSandbox sandbox = LocalSandbox.builder(runDir, launcher).policy(RegionLossBench.POLICY)
        .controllerJvm(controllerJvm).build()) {
      for (SandboxRegion r : sandbox.regions()) {
        sandbox.startApp(r);
        sandbox.startController(r);
      }
      LocalSandbox.await(Duration.ofSeconds(360), "every controller ready", () -> sandbox.regions().stream()
          .allMatch(r -> Http.get(r.apiUrl() + "/ready").map(x -> x.status() == 200).orElse(false)));
      Path dir = runDir.toAbsolutePath().resolve("fleet");
      Files.createDirectories(dir);
      List<Driver> drivers = startDrivers(sandbox, dir, o);
      try {
        try {
          ObjectNode burst = burst(sandbox, drivers, o);
          result.set("burst", burst);
          if (burst.path("completed").asBoolean()) {
            settle(sandbox, Duration.ofSeconds(180));
            result.set("soak", soak(sandbox, drivers, o));
          } else {
            out.println("burst incomplete: no soak; accounting for what was sent");
          }
        } catch (IllegalStateException e) {
          // a phase that did not get what it waited for: recorded, and what was sent still accounted for
          result.put("error", e.getMessage());
          out.println("fleet: " + e.getMessage() + "; accounting for what was sent");
        }
        result.set("accounting", account(sandbox, drivers));
      } finally {
        drivers.forEach(d -> d.control("stop"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    result.put("loadAfter", ProcStat.loadAverage());
    return result;
  }

  /** One driver JVM: its share of agents in the burst and the soak. */
  private record Driver(String id, String region, int agents, int soakAgents, Path dir, ManagedProcess process) {
    void control(String command) {
      try {
        Files.writeString(dir.resolve(id + ".control"), command + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the control file of " + id, e);
      }
    }

    Optional<JsonNode> status() {
      try {
        Path f = dir.resolve(id + ".json");
        return Files.exists(f) ? Optional.of(JSON.readTree(f.toFile())) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty(); // between two writes
      }
    }
  }

  private List<Driver> startDrivers(LocalSandbox sandbox, Path dir, FleetOptions o) {
    List<SandboxRegion> regions = sandbox.regions();
    Map<String, Integer> nextIndex = new LinkedHashMap<>();
    long maxRun = 300 + 180 + o.soak().toSeconds() + 300;
    List<Driver> drivers = new ArrayList<>();
    for (int d = 0; d < o.drivers(); d++) {
      String region = regions.get(d % regions.size()).name();
      int agents = share(o.burstAgents(), o.drivers(), d);
      int first = nextIndex.merge(region, agents, Integer::sum) - agents;
      String id = "driver-" + d;
      List<String> flags = new ArrayList<>(Launcher.LEAN);
      flags.add("-Xmx" + o.driverHeapMb() + "m");
      flags.add("-Xss256k");
      // Hazelcast completes its internal futures on the common pool only when that has more than one
      // thread; otherwise (2 cores) it starts a new thread per callback: hundreds of clients per JVM
      // made thousands of threads a second that way
      flags.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
      List<String> args = List.of("bench-fleet-driver", "--config", sandbox.configFile().toString(), "--region",
          region, "--id", id, "--agents", Integer.toString(agents), "--first", Integer.toString(first), "--dir",
          dir.toString(), "--max-seconds", Long.toString(maxRun));
      List<String> command = new ArrayList<>();
      if (o.driverNice() > 0) {
        command.addAll(List.of("nice", "-n", Integer.toString(o.driverNice()))); // execs the JVM: the same pid
      }
      command.addAll(launcher.command(flags, args));
      ManagedProcess p = sandbox.processes().start("fleet-" + id, command, sandbox.agentEnv(region));
      drivers.add(new Driver(id, region, agents, share(o.soakAgents(), o.drivers(), d), dir, p));
    }
    return drivers;
  }

  private static long driversCpuMillis(List<Driver> drivers) {
    return drivers.stream().filter(d -> d.process().isAlive())
        .mapToLong(d -> ProcStat.of(d.process().pid()).cpuMillis()).sum();
  }

  private static int connected(List<Driver> drivers) {
    return drivers.stream().mapToInt(d -> d.status().map(s -> s.path("connected").asInt()).orElse(0)).sum();
  }

  /** Driver {@code d}'s share of {@code total} over {@code n} drivers (the first ones take the remainder). */
  static int share(int total, int n, int d) {
    return total / n + (d < total % n ? 1 : 0);
  }

  private ObjectNode burst(LocalSandbox sandbox, List<Driver> drivers, FleetOptions o) {
    long t0 = System.currentTimeMillis();
    long deadline = t0 + 300_000;
    long connectedAt = -1;
    long seenAt = -1;
    int maxConnected = 0;
    long lastPrint = 0;
    Map<Long, ProcStat> before = new LinkedHashMap<>();
    sandbox.regions().forEach(r -> before.put(r.controller().pid(), ProcStat.of(r.controller().pid())));
    ArrayNode series = JSON.createArrayNode();
    while (System.currentTimeMillis() < deadline && (connectedAt < 0 || seenAt < 0)) {
      int connected = connected(drivers);
      maxConnected = Math.max(maxConnected, connected);
      long now = System.currentTimeMillis();
      if (connectedAt < 0 && connected >= o.burstAgents()) {
        connectedAt = now - t0;
      }
      Map<String, Map<String, Double>> m = ControllerSamples.metrics(sandbox);
      double minSeen = m.size() < sandbox.regions().size() ? -1
          : m.values().stream().mapToDouble(x -> x.getOrDefault("pharos_ingest_agents", 0.0)).min().orElse(0);
      if (seenAt < 0 && minSeen >= o.burstAgents()) {
        seenAt = now - t0;
      }
      if (now - lastPrint >= 5000) {
        out.printf("burst +%3d s: %d/%d clients connected, every controller holds >= %s agents (load %.0f)%n",
            (now - t0) / 1000, connected, o.burstAgents(), minSeen < 0 ? "? (a controller did not answer)"
                : Long.toString((long) minSeen), ProcStat.loadAverage());
        series.addObject().put("atSeconds", (now - t0) / 1000).put("connected", connected)
            .put("controllersHoldMin", (long) minSeen).put("load", ProcStat.loadAverage());
        lastPrint = now;
      }
      BenchTable.pause(250);
    }
    long seconds = Math.max(1, (System.currentTimeMillis() - t0) / 1000);
    boolean completed = connectedAt >= 0 && seenAt >= 0;
    out.printf("burst: every client connected %s, every controller saw every agent %s (goal 120 s)%s%n",
        BenchTable.ms(connectedAt), BenchTable.ms(seenAt), completed ? "" : "; NOT COMPLETED in 300 s, at most "
            + maxConnected + " of " + o.burstAgents() + " connected at once");
    ObjectNode j = JSON.createObjectNode();
    j.put("agents", o.burstAgents()).put("completed", completed).put("allConnectedMs", connectedAt)
        .put("everyControllerSawEveryAgentMs", seenAt).put("maxConnected", maxConnected);
    ArrayNode cs = j.putArray("controllers");
    for (SandboxRegion r : sandbox.regions()) {
      if (r.controller().isAlive()) {
        ProcStat now = ProcStat.of(r.controller().pid());
        cs.addObject().put("id", r.controllerId())
            .put("cpuPercent", round1((now.cpuMillis() - before.get(r.controller().pid()).cpuMillis()) / 10.0
                / seconds)).put("rssMb", now.rssKb() / 1024);
      }
    }
    ArrayNode ds = j.putArray("drivers");
    for (Driver d : drivers) {
      ObjectNode x = ds.addObject();
      x.put("id", d.id()).put("region", d.region()).put("agents", d.agents());
      d.status().ifPresent(s -> x.put("connected", s.path("connected").asInt()).put("threads", s.path("threads")
          .asInt()).put("heapUsedMb", s.path("heapUsedMb").asInt())
          .put("channelMetricsTasksCancelled", s.path("channelMetricsTasksCancelled").asInt()));
      if (d.process().isAlive()) {
        ProcStat p = ProcStat.of(d.process().pid());
        x.put("rssMb", p.rssKb() / 1024).put("cpuSeconds", p.cpuMillis() / 1000);
      }
    }
    j.set("series", series);
    SandboxRegion first = sandbox.regions().get(0);
    if (first.controller().isAlive()) {
      j.set("controllerHeapTop", ControllerSamples.histogram(first.controller().pid(), 12));
    }
    return j;
  }

  /**
   * Every controller naming a leader and seeing every region HEALTHY; the leader with no decision
   * pending and every region in traffic (what the sandbox's {@code settled} asks, without agents).
   */
  private static boolean settled(LocalSandbox sandbox) {
    for (SandboxRegion r : sandbox.regions()) {
      Optional<JsonNode> s = sandbox.status(r);
      if (s.isEmpty() || s.get().path("leader").asText("").isEmpty()) {
        return false;
      }
      for (SandboxRegion other : sandbox.regions()) {
        if (!"HEALTHY".equals(s.get().path("regions").path(other.name()).path("state").asText())) {
          return false;
        }
      }
    }
    return sandbox.leader().flatMap(sandbox::status).map(s -> s.path("pending").isNull()
        && !s.path("regions").findValues("out").stream().anyMatch(JsonNode::asBoolean)).orElse(false);
  }

  static void settle(LocalSandbox sandbox, Duration timeout) {
    LocalSandbox.await(timeout, "every region healthy and in traffic with a leader", () -> settled(sandbox));
  }

  private ObjectNode soak(LocalSandbox sandbox, List<Driver> drivers, FleetOptions o) {
    drivers.forEach(d -> d.control("keep " + d.soakAgents()));
    LocalSandbox.await(Duration.ofSeconds(120), "every driver down to its soak agents", () -> drivers.stream()
        .allMatch(d -> d.status().map(s -> s.path("active").asInt() == d.soakAgents()).orElse(false)));
    // a client reconnecting after a missed heartbeat is not connected for a moment: wait a little for all
    long until = System.currentTimeMillis() + 60_000;
    int connected = 0;
    while (System.currentTimeMillis() < until && (connected = connected(drivers)) < o.soakAgents()) {
      BenchTable.pause(500);
    }
    out.printf("soak: %d agents (%d connected) for %d s%n", o.soakAgents(), connected, o.soak().toSeconds());
    long t0 = System.currentTimeMillis();
    long end = t0 + o.soak().toMillis();
    SoakRegionLoss loss = o.regionLoss() ? new SoakRegionLoss(out, sandbox, t0 + o.soak().toMillis() / 2) : null;
    if (loss != null) {
      loss.start();
    }
    long driversCpu0 = driversCpuMillis(drivers);
    Map<String, ProcStat> last = ControllerSamples.procs(sandbox);
    long lastAt = System.currentTimeMillis();
    long nextGc = t0;
    ArrayNode samples = JSON.createArrayNode();
    Map<String, List<double[]>> heap = new TreeMap<>();
    Map<String, List<double[]>> rss = new TreeMap<>();
    Map<String, List<double[]>> cpu = new TreeMap<>();
    while (System.currentTimeMillis() < end) {
      long next = Math.min(end, lastAt + SAMPLE_MS);
      BenchTable.pause(Math.max(0, next - System.currentTimeMillis()));
      long now = System.currentTimeMillis();
      double minute = (now - t0) / 60_000.0;
      Map<String, ProcStat> p = ControllerSamples.procs(sandbox);
      boolean gc = now >= nextGc && (loss == null || !loss.busy());
      ObjectNode sample = samples.addObject();
      sample.put("atSeconds", (now - t0) / 1000);
      for (SandboxRegion r : sandbox.regions()) {
        String id = r.controllerId();
        ProcStat a = last.get(id);
        ProcStat b = p.get(id);
        if (a == null || b == null) {
          continue;
        }
        double cpuPct = (b.cpuMillis() - a.cpuMillis()) * 100.0 / Math.max(1, now - lastAt);
        ObjectNode c = sample.putObject(id);
        c.put("cpuPercent", round1(cpuPct)).put("rssMb", round1(b.rssKb() / 1024.0));
        cpu.computeIfAbsent(id, k -> new ArrayList<>()).add(new double[] {minute, cpuPct});
        rss.computeIfAbsent(id, k -> new ArrayList<>()).add(new double[] {minute, b.rssKb() / 1024.0});
        if (gc) {
          double mb = ControllerSamples.heapAfterGc(r.controller().pid());
          if (mb >= 0) {
            c.put("heapAfterGcMb", round1(mb));
            heap.computeIfAbsent(id, k -> new ArrayList<>()).add(new double[] {minute, mb});
          }
        }
      }
      if (gc) {
        nextGc += GC_EVERY_MS;
      }
      out.println("soak " + sample);
      last = p;
      lastAt = now;
    }
    ObjectNode j = JSON.createObjectNode();
    j.put("agents", o.soakAgents()).put("connectedAtStart", connected).put("seconds", o.soak().toSeconds());
    double driversPct = (driversCpuMillis(drivers) - driversCpu0) / 10.0 / Math.max(1, o.soak().toSeconds());
    double perAgent = driversPct / o.soakAgents();
    j.put("driversCpuPercent", round1(driversPct)).put("driversCpuPercentPerAgent", round3(perAgent));
    out.printf("soak: the drivers used %.1f %% of a core (%.3f %% per agent)%n", driversPct, perAgent);
    ObjectNode per = j.putObject("controllers");
    for (String id : cpu.keySet()) {
      ObjectNode c = per.putObject(id);
      List<double[]> h = heap.getOrDefault(id, List.of());
      c.put("cpuPercentMean", round1(cpu.get(id).stream().mapToDouble(x -> x[1]).average().orElse(-1)))
          .put("cpuPercentSlopePerMinute", round3(ControllerSamples.slope(cpu.get(id))))
          .put("rssMbFirst", round1(rss.get(id).get(0)[1])).put("rssMbLast", round1(rss.get(id).get(rss.get(id).size()
              - 1)[1])).put("rssMbSlopePerMinute", round3(ControllerSamples.slope(rss.get(id))))
          .put("heapAfterGcSamples", h.size())
          .put("heapAfterGcMbFirst", h.isEmpty() ? -1 : round1(h.get(0)[1]))
          .put("heapAfterGcMbLast", h.isEmpty() ? -1 : round1(h.get(h.size() - 1)[1]))
          .put("heapAfterGcMbSlopePerMinute", round3(ControllerSamples.slope(h)));
      out.printf("soak %s: CPU mean %.1f %% (slope %+.3f %%/min), RSS %.0f -> %.0f MB (slope %+.3f MB/min), heap"
              + " after GC %s (slope %+.3f MB/min over %d samples)%n", id, c.path("cpuPercentMean").asDouble(),
          c.path("cpuPercentSlopePerMinute").asDouble(), c.path("rssMbFirst").asDouble(),
          c.path("rssMbLast").asDouble(), c.path("rssMbSlopePerMinute").asDouble(),
          c.path("heapAfterGcMbFirst").asDouble() + " -> " + c.path("heapAfterGcMbLast").asDouble() + " MB",
          c.path("heapAfterGcMbSlopePerMinute").asDouble(), h.size());
    }
    j.set("samples", samples);
    if (loss != null) {
      j.set("regionLoss", loss.finish());
    }
    return j;
  }

  private ObjectNode account(LocalSandbox sandbox, List<Driver> drivers) {
    drivers.forEach(d -> d.control("stop"));
    LocalSandbox.await(Duration.ofSeconds(90), "every driver done", () -> drivers.stream()
        .allMatch(d -> d.status().map(s -> s.path("done").asBoolean()).orElse(false) || !d.process().isAlive()));
    long sent = 0;
    long failed = 0;
    long unanswered = 0;
    long reports = 0;
    long edge = 0;
    long offline = 0;
    Map<String, Long> failures = new TreeMap<>();
    for (Driver d : drivers) {
      JsonNode s = d.status().orElseThrow(() -> new IllegalStateException(d.id() + " wrote no status"));
      if (!s.path("done").asBoolean()) {
        throw new IllegalStateException(d.id() + " exited without its final counts (see its log "
            + d.process().log() + ")");
      }
      sent += s.path("framesSent").asLong();
      failed += s.path("framesFailed").asLong();
      unanswered += s.path("framesStarted").asLong() - s.path("framesSent").asLong() - s.path("framesFailed").asLong();
      reports += s.path("reportsBuilt").asLong();
      edge += s.path("edgeReports").asLong();
      offline += s.path("offlineSkips").asLong();
      s.path("failures").fields().forEachRemaining(e -> failures.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }
    // the controllers' counters settle once every queued report is decided on
    Map<String, Map<String, Double>> m = ControllerSamples.metrics(sandbox);
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      BenchTable.pause(2000);
      Map<String, Map<String, Double>> again = ControllerSamples.metrics(sandbox);
      boolean still = again.size() == m.size() && again.keySet().stream()
          .allMatch(id -> total(again.get(id)) == total(m.get(id)));
      m.clear();
      m.putAll(again);
      if (still) {
        break;
      }
    }
    ObjectNode j = JSON.createObjectNode();
    j.put("reports", reports).put("edgeReports", edge).put("framesSent", sent).put("framesFailed", failed)
        .put("framesUnanswered", unanswered).put("offlineSkips", offline);
    ObjectNode why = j.putObject("failures");
    failures.forEach(why::put);
    ArrayNode per = j.putArray("controllers");
    long worstLost = 0;
    for (SandboxRegion r : sandbox.regions()) {
      Map<String, Double> x = m.get(r.controllerId());
      if (x == null) {
        per.addObject().put("id", r.controllerId()).put("answered", false);
        out.printf("accounting %s: its /metrics did not answer (the process %s)%n", r.controllerId(),
            r.controller().isAlive() ? "runs" : "exited");
        worstLost = -1;
        continue;
      }
      long accepted = Math.round(x.getOrDefault("pharos_reports_accepted_total", 0.0));
      ObjectNode c = per.addObject();
      c.put("id", r.controllerId()).put("accepted", accepted);
      ObjectNode rej = c.putObject("rejected");
      for (Map.Entry<String, Double> e : x.entrySet()) {
        if (e.getKey().startsWith("pharos_reports_rejected_total|") && e.getValue() > 0) {
          rej.put(e.getKey().substring(e.getKey().indexOf('|') + 1), Math.round(e.getValue()));
        }
      }
      // a failed publish may still have been delivered: counted = acknowledged + some of the failed
      long counted = total(x);
      long lost = Math.max(0, sent - counted);
      long unexplained = Math.max(0, counted - sent - failed);
      c.put("counted", counted).put("lost", lost).put("countedBeyondSent", unexplained);
      worstLost = worstLost < 0 ? -1 : Math.max(worstLost, lost + unexplained);
      out.printf("accounting %s: %d frames acknowledged, %d counted (accepted %d, rejected %s): %d lost%n",
          r.controllerId(), sent, counted, accepted, rej, lost);
    }
    j.put("worstLost", worstLost); // -1: a controller could not be asked
    out.printf("accounting: %d reports, %d frames acknowledged, %d failed %s, %d unanswered; worst lost %d%n", reports,
        sent, failed, failures, unanswered, worstLost);
    return j;
  }

  /** Accepted plus every rejection of one controller. */
  private static long total(Map<String, Double> m) {
    double t = 0;
    for (Map.Entry<String, Double> e : m.entrySet()) {
      String k = e.getKey();
      if (k.equals("pharos_reports_accepted_total") || k.startsWith("pharos_reports_rejected_total|")) {
        t += e.getValue();
      }
    }
    return Math.round(t);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
