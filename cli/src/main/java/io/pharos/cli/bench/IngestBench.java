package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.agent.transport.HazelcastCallbacks;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportTopics;
import io.pharos.testkit.attack.Outsider;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Controller ingest: simulated agents (Hazelcast clients in this JVM, each agent signing real
 * reports with its region's key, replay counters and uptime as an agent's) publish to a controller
 * trio at a given rate; every controller verifies every report (MAC included) and feeds its
 * decision thread. Measured from each controller's {@code /metrics}: reports accepted and
 * rejected per second, the decision latency (arrival to verdicts updated) p50/p99, and the
 * controllers' CPU and RSS from {@code /proc}. Open loop, bounded in count and time, with at most
 * {@link #MAX_IN_FLIGHT} publications outstanding (then the driver waits: its own limit is
 * reported as the rate it reached).
 */
public final class IngestBench {
  static final int MAX_IN_FLIGHT = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(pharos_[a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+)$");

  /**
   * @param rates reports per second to offer, one step each
   * @param step time per rate
   * @param agents simulated agents (spread over the regions)
   * @param clients Hazelcast clients (and publishing threads) in this JVM
   * @param warmup load at the first rate before the first step, not counted (the JIT compiles the
   *     path: on 2 cores a cold trio spent over half its CPU in the compiler during a 10 s step)
   * @param controllerJvm the controllers' JVM flags beyond the members' own (empty: the JVM's defaults)
   */
  public record Options(List<Integer> rates, Duration step, int agents, int clients, Duration warmup,
      List<String> controllerJvm) {
    public Options {
      rates = List.copyOf(rates);
      controllerJvm = List.copyOf(controllerJvm);
      if (warmup.isNegative() || warmup.toSeconds() > 600) {
        throw new IllegalArgumentException("warmup must be 0..600 s, was " + warmup.toSeconds() + " s");
      }
      if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1 || r > 500_000)) {
        throw new IllegalArgumentException("rates must be 1..500000 reports/s, were " + rates);
      }
      if (step.toSeconds() < 1 || step.toSeconds() > 600) {
        throw new IllegalArgumentException("step must be 1..600 s, was " + step.toSeconds() + " s");
      }
      if (agents < 1 || agents > 10_000 || clients < 1 || clients > 64) {
        throw new IllegalArgumentException("agents 1..10000 and clients 1..64, were " + agents + ", " + clients);
      }
    }
  }

  private final Launcher launcher;
  private final PrintStream out;

  public IngestBench(Launcher launcher, PrintStream out) {
    this.launcher = launcher;
    this.out = out;
  }

  public ArrayNode run(Path runDir, Options o) throws InterruptedException {
    ArrayNode results = JSON.createArrayNode();
    try (LocalSandbox sandbox = LocalSandbox.builder(runDir, launcher).controllerJvm(o.controllerJvm())
        .build()) {
      for (SandboxRegion r : sandbox.regions()) {
        sandbox.startController(r);
      }
      LocalSandbox.await(Duration.ofSeconds(360), "every controller ready", () -> sandbox.regions().stream()
          .allMatch(r -> Http.get(r.apiUrl() + "/ready").map(x -> x.status() == 200).orElse(false)));
      List<Outsider> clients = new ArrayList<>();
      try {
        for (int i = 0; i < o.clients(); i++) {
          HazelcastCallbacks.install(); // as agents do (ADR 0019)
          clients.add(Outsider.connect(sandbox.raftGroup(), sandbox.hazelcastAddresses()));
        }
        List<Agent> agents = agents(sandbox, o.agents());
        if (!o.warmup().isZero()) {
          out.println("warm-up: " + o.rates().get(0) + " reports/s for " + o.warmup().toSeconds() + " s, not counted");
          step(sandbox, clients, agents, o.rates().get(0), o.warmup());
        }
        for (int rate : o.rates()) {
          results.add(step(sandbox, clients, agents, rate, o.step()));
        }
      } finally {
        clients.forEach(Outsider::close);
      }
    }
    return results;
  }

  private ObjectNode step(LocalSandbox sandbox, List<Outsider> clients, List<Agent> agents, int rate, Duration d)
      throws InterruptedException {
    double loadBefore = ProcStat.loadAverage();
    Map<String, Map<String, Double>> m0 = metrics(sandbox);
    Map<String, ProcStat> p0 = ControllerSamples.procs(sandbox);
    ProcStat.Machine machine0 = ProcStat.Machine.now();
    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    long t0 = System.nanoTime();
    long deadline = t0 + d.toNanos();
    List<Thread> threads = new ArrayList<>();
    int n = clients.size();
    for (int c = 0; c < n; c++) {
      HazelcastInstance hz = clients.get(c).client();
      List<ITopic<byte[]>> topics = ReportTopics.ALL.stream().map(t -> hz.<byte[]>getTopic(t)).toList();
      List<Agent> mine = new ArrayList<>();
      for (int i = c; i < agents.size(); i += n) {
        mine.add(agents.get(i));
      }
      double perThread = rate / (double) n;
      Thread t = new Thread(() -> publish(mine, topics, perThread, t0, deadline, inFlight, sent, failed),
          "bench-ingest-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    inFlight.tryAcquire(MAX_IN_FLIGHT, 10, TimeUnit.SECONDS);
    inFlight.release(MAX_IN_FLIGHT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    ProcStat.Machine machine1 = ProcStat.Machine.now();
    // let the decision threads drain what is queued before reading their counters
    Thread.sleep(1000);
    Map<String, Map<String, Double>> m1 = metrics(sandbox);
    Map<String, ProcStat> p1 = ControllerSamples.procs(sandbox);
    ObjectNode j = JSON.createObjectNode();
    j.put("offeredPerSecond", rate).put("seconds", Math.round(seconds * 10) / 10.0).put("sent", sent.get())
        .put("sentPerSecond", Math.round(sent.get() / seconds)).put("publishFailed", failed.get())
        .put("machineBusyPercent", Math.round(machine1.busyPercentSince(machine0) * 10) / 10.0)
        .put("machineSystemPercent", Math.round(machine1.systemPercentSince(machine0) * 10) / 10.0)
        .put("contextSwitchesPerSecond",
            Math.round((machine1.contextSwitches() - machine0.contextSwitches()) / seconds));
    ArrayNode per = j.putArray("controllers");
    long minAccepted = Long.MAX_VALUE;
    double worstP99 = 0;
    for (String id : m1.keySet()) {
      Map<String, Double> a = m0.getOrDefault(id, Map.of());
      Map<String, Double> b = m1.get(id);
      long accepted = Math.round(b.getOrDefault("accepted", 0.0) - a.getOrDefault("accepted", 0.0));
      minAccepted = Math.min(minAccepted, accepted);
      ObjectNode c = per.addObject();
      c.put("id", id).put("accepted", accepted).put("acceptedPerSecond", Math.round(accepted / seconds));
      ObjectNode rej = c.putObject("rejected");
      for (Map.Entry<String, Double> e : b.entrySet()) {
        if (e.getKey().startsWith("rejected:")) {
          long v = Math.round(e.getValue() - a.getOrDefault(e.getKey(), 0.0));
          if (v > 0) {
            rej.put(e.getKey().substring(9), v);
          }
        }
      }
      double p50 = b.getOrDefault("latency:0.5", -1.0) * 1000;
      double p99 = b.getOrDefault("latency:0.99", -1.0) * 1000;
      worstP99 = Math.max(worstP99, p99);
      c.put("decisionLatencyP50Ms", Math.round(p50 * 10) / 10.0).put("decisionLatencyP99Ms", Math.round(p99 * 10) / 10.0);
      ProcStat s0 = p0.get(id);
      ProcStat s1 = p1.get(id);
      if (s0 != null && s1 != null) {
        c.put("cpuPercentOfOneCore", Math.round((s1.cpuMillis() - s0.cpuMillis()) / seconds / 10.0 * 10) / 10.0)
            .put("rssMb", s1.rssKb() / 1024);
        if (s1.pssKb() >= 0) {
          c.put("pssMb", s1.pssKb() / 1024);
        }
      }
    }
    long accountedFor = minAccepted == Long.MAX_VALUE ? 0 : minAccepted;
    j.put("acceptedPerSecondMin", Math.round(accountedFor / seconds));
    j.put("decisionLatencyP99MsWorst", Math.round(worstP99 * 10) / 10.0);
    j.put("loadBefore", loadBefore).put("loadAfter", ProcStat.loadAverage());
    out.println(j.toPrettyString());
    return j;
  }

  private static void publish(List<Agent> agents, List<ITopic<byte[]>> topics, double perSecond, long t0,
      long deadline, Semaphore inFlight, AtomicLong sent, AtomicLong failed) {
    long n = 0;
    int next = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= deadline) {
        return;
      }
      long due = t0 + (long) (n * 1e9 / perSecond);
      if (due > now) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(due - now, 1_000_000));
        continue;
      }
      Agent a = agents.get(next);
      next = (next + 1) % agents.size();
      byte[] frame = a.next();
      try {
        if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      topics.get(Math.floorMod(a.id.hashCode(), topics.size())).publishAsync(frame).whenCompleteAsync((v, err) -> {
        inFlight.release();
        if (err == null) {
          sent.incrementAndGet();
        } else {
          failed.incrementAndGet();
        }
      }, Runnable::run); // not Hazelcast's default executor: a new thread per callback on 2 cores
      n++;
    }
  }

  private static List<Agent> agents(LocalSandbox sandbox, int count) {
    List<Agent> agents = new ArrayList<>();
    List<SandboxRegion> regions = sandbox.regions();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < count; i++) {
      String region = regions.get(i % regions.size()).name();
      agents.add(new Agent("sim-" + i, sandbox.regionKey(region, 1), random.nextLong(),
          regions.stream().map(SandboxRegion::name).toList()));
    }
    return agents;
  }

  /** One simulated agent: its own boot id, counter and uptime; observes every region's app as up. */
  private static final class Agent {
    final String id;
    final RegionKey key;
    final ReportSigner signer;
    final long bootId;
    final List<String> regions;
    final long started = System.currentTimeMillis();
    long counter;

    Agent(String id, RegionKey key, long bootId, List<String> regions) {
      this.id = id;
      this.key = key;
      this.signer = new ReportSigner(key);
      this.bootId = bootId;
      this.regions = regions;
    }

    synchronized byte[] next() {
      long now = System.currentTimeMillis();
      List<Observation> obs = new ArrayList<>();
      for (String r : regions) {
        obs.add(Observation.up(r, "app", 1200, 200, now));
      }
      Report report = new Report(Report.VERSION, key.region(), key.generation(), id, bootId, ++counter, now - started,
          0, now, obs);
      return signer.sign(report);
    }
  }

  /** Per controller id: accepted, rejected:&lt;reason&gt;, latency:&lt;quantile&gt; (seconds). */
  private static Map<String, Map<String, Double>> metrics(LocalSandbox sandbox) {
    Map<String, Map<String, Double>> all = new HashMap<>();
    for (SandboxRegion r : sandbox.regions()) {
      Http.Response resp = Http.get(r.apiUrl() + "/metrics").orElse(null);
      if (resp == null || resp.status() != 200) {
        continue;
      }
      Map<String, Double> m = new HashMap<>();
      Matcher x = SAMPLE.matcher(resp.body());
      while (x.find()) {
        String name = x.group(1);
        String labels = x.group(2);
        double v = Double.parseDouble(x.group(3));
        if (name.equals("pharos_reports_accepted_total")) {
          m.put("accepted", v);
        } else if (name.equals("pharos_reports_rejected_total")) {
          m.put("rejected:" + label(labels, "reason"), v);
        } else if (name.equals("pharos_decision_latency_seconds") && labels.contains("quantile")) {
          m.put("latency:" + label(labels, "quantile"), v);
        }
      }
      all.put(r.controllerId(), m);
    }
    return all;
  }

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }
}
