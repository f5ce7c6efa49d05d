package io.pharos.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.cli.demo.Percentiles;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real agent process (the distribution's command line, with given JVM flags) probing many
 * endpoints of one local HTTP target (nginx), connected to a controller trio of a local sandbox;
 * samples the agent's CPU and RSS from {@code /proc} and its counters from {@code /v1/status}.
 * The sandbox's own apps and agents are not started: the agent under test is the only prober.
 *
 * <p>Probe latency: each status sample carries every endpoint's last observation; the new ones
 * since the previous sample (a sample of all probes, not every probe) make the percentiles.
 */
public final class AgentLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient STATUS =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  private static final Pattern APP_ENDPOINT = Pattern.compile("(?m)^      - \\{ id: app, url: .*$");

  /**
   * @param endpoints endpoints spread over the sandbox's regions, and in turn over {@code targets}
   * @param interval each endpoint's probe interval (its timeout too)
   * @param warmup time from the agent's first complete round before sampling
   * @param measure sampling time
   */
  public record Options(int endpoints, Duration interval, List<String> targets, Duration warmup, Duration measure) {
    public Options {
      targets = List.copyOf(targets);
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("at least one target is needed");
      }
      if (endpoints < 1 || endpoints > 20_000) {
        throw new IllegalArgumentException("endpoints must be 1..20000, was " + endpoints);
      }
      if (interval.toMillis() < 50 || interval.toMillis() > 60_000) {
        throw new IllegalArgumentException("interval must be 50 ms..60 s, was " + interval.toMillis() + " ms");
      }
      if (measure.toSeconds() < 1 || measure.toSeconds() > 3600) {
        throw new IllegalArgumentException("measure must be 1 s..1 h, was " + measure.toSeconds() + " s");
      }
    }
  }

  private final Launcher launcher;
  private final PrintStream out;

  public AgentLoadBench(Launcher launcher, PrintStream out) {
    this.launcher = launcher;
    this.out = out;
  }

  /**
   * An agent's command line under test: a name, its JVM flags, extra environment and the java
   * launcher it runs on (null: this JVM's).
   */
  public record Variant(String name, List<String> jvmFlags, Map<String, String> env, String java) {
    public Variant {
      jvmFlags = List.copyOf(jvmFlags);
      env = Map.copyOf(env);
    }
  }

  /**
   * Runs each variant in turn (one agent process at a time, stopped before the next) on one new
   * sandbox under {@code runDir}; the results as a JSON array.
   */
  public ArrayNode run(Path runDir, Options o, List<Variant> variants) {
    ArrayNode results = JSON.createArrayNode();
    try (LocalSandbox sandbox = LocalSandbox.builder(runDir, launcher).controllerJvm(List.of()).build()) {
      writeEndpoints(sandbox.configFile(), o);
      for (SandboxRegion r : sandbox.regions()) {
        sandbox.startController(r);
      }
      LocalSandbox.await(Duration.ofSeconds(360), "every controller ready", () -> sandbox.regions().stream()
          .allMatch(r -> Http.get(r.apiUrl() + "/ready").map(x -> x.status() == 200).orElse(false)));
      String region = sandbox.regions().get(0).name();
      for (Variant v : variants) {
        double loadBefore = ProcStat.loadAverage();
        int port = Ports.free();
        List<String> command = new ArrayList<>(launcher.command(v.jvmFlags(), launcher.nodes().agent(
            sandbox.configFile(), region, "agent-bench", "127.0.0.1:" + port)));
        if (v.java() != null) {
          command.set(0, v.java());
        }
        Map<String, String> env = new HashMap<>(sandbox.agentEnv(region));
        env.putAll(v.env());
        out.printf("%n== %s: %s %s%s%n", v.name(), v.jvmFlags(), v.env(), v.java() == null ? "" : " on " + v.java());
        ManagedProcess agent = sandbox.processes().start("agent-bench-" + results.size(), command, env);
        try {
          String base = "http://127.0.0.1:" + port;
          long started = System.nanoTime();
          LocalSandbox.await(Duration.ofSeconds(120), "the agent ready (connected, every endpoint probed)", () -> {
            if (!agent.isAlive()) {
              throw new IllegalStateException("the agent exited before it was ready; see " + agent.log());
            }
            return Http.get(base + "/ready").map(x -> x.status() == 200).orElse(false);
          });
          long readyMs = (System.nanoTime() - started) / 1_000_000;
          out.printf("agent ready in %d ms (pid %d); warming up %d s%n", readyMs, agent.pid(), o.warmup().toSeconds());
          sleep(o.warmup());
          ObjectNode r = measure(agent, base, o, readyMs, loadBefore);
          r.put("variant", v.name());
          r.putPOJO("env", v.env());
          results.add(r);
        } finally {
          agent.stop(Duration.ofSeconds(10));
        }
      }
      return results;
    }
  }

  private ObjectNode measure(ManagedProcess agent, String base, Options o, long readyMs, double loadBefore) {
    JsonNode first = status(base);
    ProcStat cpu0 = ProcStat.of(agent.pid());
    long t0 = System.nanoTime();
    long end = t0 + o.measure().toNanos();
    List<Long> latencies = new ArrayList<>();
    Map<String, Long> seenAt = new HashMap<>();
    long[] seen = new long[2];
    collect(first, seenAt, null, seen);
    long rssMax = 0;
    long rssSum = 0;
    int samples = 0;
    List<double[]> rss = new ArrayList<>(); // (minutes since t0, MB): is it flat over the run?
    long halfway = t0 + o.measure().toNanos() / 2;
    ProcStat cpuHalf = null;
    List<Double> loads = new ArrayList<>();
    JsonNode last = first;
    while (System.nanoTime() < end) {
      sleep(Duration.ofMillis(Math.min(2000, Math.max(1, (end - System.nanoTime()) / 1_000_000))));
      if (!agent.isAlive()) {
        throw new IllegalStateException("the agent exited during the run; see " + agent.log());
      }
      ProcStat s = ProcStat.of(agent.pid());
      rssMax = Math.max(rssMax, s.rssKb());
      rssSum += s.rssKb();
      samples++;
      rss.add(new double[] {(System.nanoTime() - t0) / 60e9, s.rssKb() / 1024.0});
      if (cpuHalf == null && System.nanoTime() >= halfway) {
        cpuHalf = s;
      }
      loads.add(ProcStat.loadAverage());
      last = status(base);
      collect(last, seenAt, latencies, seen);
    }
    ProcStat cpu1 = ProcStat.of(agent.pid());
    double seconds = (System.nanoTime() - t0) / 1e9;
    long probes = last.path("probes").path("run").asLong() - first.path("probes").path("run").asLong();
    JsonNode r0 = first.path("reports");
    JsonNode r1 = last.path("reports");
    double cpuMs = cpu1.cpuMillis() - cpu0.cpuMillis();
    ObjectNode j = JSON.createObjectNode();
    j.put("pid", agent.pid());
    j.put("endpoints", o.endpoints()).put("intervalMs", o.interval().toMillis())
        .put("demandPerSecond", o.endpoints() * 1000.0 / o.interval().toMillis())
        .put("seconds", Math.round(seconds * 10) / 10.0).put("readyMs", readyMs);
    // the sampled observations tell which share of the probes passed (a saturated prober times out)
    double failedShare = seen[0] == 0 ? 0 : seen[1] / (double) seen[0];
    long skipped = last.path("probes").path("skipped").asLong() - first.path("probes").path("skipped").asLong();
    j.put("probesSkipped", skipped).put("skippedPerSecond", Math.round(skipped / seconds));
    j.put("probes", probes).put("probesPerSecond", Math.round(probes / seconds))
        .put("failedShareSampled", Math.round(failedShare * 1000) / 1000.0)
        .put("okProbesPerSecond", Math.round(probes * (1 - failedShare) / seconds));
    j.put("cpuPercentOfOneCore", Math.round(cpuMs / seconds / 10.0 * 10) / 10.0);
    j.put("cpuMicrosPerProbe", probes == 0 ? 0 : Math.round(cpuMs * 1000 / probes));
    j.put("rssMbMax", rssMax / 1024).put("rssMbAvg", samples == 0 ? 0 : rssSum / samples / 1024)
        .put("rssMbEnd", cpu1.rssKb() / 1024);
    if (!rss.isEmpty()) {
      j.put("rssMbFirst", Math.round(rss.get(0)[1])).put("rssSlopeMbPerMinute", Math.round(ControllerSamples.slope(rss) * 100) / 100.0);
    }
    if (cpuHalf != null) { // the halves' CPU: flat, or growing with the run?
      double half = o.measure().toNanos() / 2e9;
      j.put("cpuPercentFirstHalf", Math.round((cpuHalf.cpuMillis() - cpu0.cpuMillis()) / half / 10.0 * 10) / 10.0)
          .put("cpuPercentSecondHalf",
              Math.round((cpu1.cpuMillis() - cpuHalf.cpuMillis()) / (seconds - half) / 10.0 * 10) / 10.0);
    }
    Percentiles micros = new Percentiles(latencies);
    j.put("latencySamples", micros.count());
    j.put("latencyP50Ms", micros.at(50) / 1000.0);
    j.put("latencyP99Ms", micros.at(99) / 1000.0);
    j.put("reportsBuilt", r1.path("built").asLong() - r0.path("built").asLong());
    j.put("reportsSent", r1.path("sent").asLong() - r0.path("sent").asLong());
    j.put("reportsDropped", r1.path("dropped").asLong() - r0.path("dropped").asLong());
    j.put("reportsBufferedAtEnd", r1.path("buffered").asLong());
    j.put("publishFailures", r1.path("publishFailures").asLong() - r0.path("publishFailures").asLong());
    j.put("loadBefore", loadBefore);
    j.put("loadDuring", loads.isEmpty() ? ProcStat.loadAverage() : loads.stream().mapToDouble(d -> d).max().orElse(0));
    out.println(j.toPrettyString());
    return j;
  }

  /**
   * Adds the latency of every endpoint observed (and passed) since the previous sample; counts
   * every new observation in {@code newSeen[0]}, the failed ones in {@code newSeen[1]}.
   */
  private static void collect(JsonNode status, Map<String, Long> seenAt, List<Long> latencies, long[] newSeen) {
    for (JsonNode e : status.path("endpoints")) {
      String key = e.path("region").asText() + "/" + e.path("endpoint").asText();
      long at = e.path("at").asLong();
      Long prev = seenAt.put(key, at);
      if (latencies != null && (prev == null || prev != at)) {
        newSeen[0]++;
        if (e.path("ok").asBoolean()) {
          latencies.add(e.path("latencyMicros").asLong());
        } else {
          newSeen[1]++;
        }
      }
    }
  }

  /** The agent's status; a saturated agent answers late, so this waits up to 20 s (not Http's 2 s). */
  private static JsonNode status(String base) {
    try {
      HttpResponse<String> r = STATUS.send(HttpRequest.newBuilder(URI.create(base + "/v1/status"))
          .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("the agent's /v1/status answered " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("the agent's /v1/status did not answer within 20 s: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Replaces every region's one app endpoint with this run's endpoints on the target. */
  static void writeEndpoints(Path config, Options o) {
    try {
      String yaml = Files.readString(config);
      Matcher m = APP_ENDPOINT.matcher(yaml);
      List<int[]> spans = new ArrayList<>();
      while (m.find()) {
        spans.add(new int[] {m.start(), m.end()});
      }
      if (spans.isEmpty()) {
        throw new IllegalStateException("the sandbox config has no app endpoint to replace: " + config);
      }
      StringBuilder y = new StringBuilder();
      int from = 0;
      long ms = o.interval().toMillis();
      int n = 0;
      for (int i = 0; i < spans.size(); i++) {
        y.append(yaml, from, spans.get(i)[0]);
        int share = o.endpoints() / spans.size() + (i < o.endpoints() % spans.size() ? 1 : 0);
        for (int k = 0; k < share; k++) {
          String id = "e" + i + "-" + k;
          y.append(k == 0 ? "" : "\n").append("      - { id: ").append(id).append(", url: \"")
              .append(o.targets().get(n++ % o.targets().size()))
              .append('/').append(id).append("\", interval: ").append(ms).append("ms, timeout: ").append(ms)
              .append("ms }");
        }
        from = spans.get(i)[1];
      }
      y.append(yaml.substring(from));
      Files.writeString(config, y.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JVM flags of a java {@code @argfile} (e.g. {@code jvm/agent.args}); # starts a comment. */
  public static List<String> argFile(Path file) {
    try {
      List<String> flags = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        for (String token : line.strip().split("\\s+")) {
          if (token.startsWith("#")) {
            break;
          }
          if (!token.isEmpty()) {
            flags.add(token);
          }
        }
      }
      return flags;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
