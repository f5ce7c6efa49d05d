package io.pharos.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pharos.agent.AgentStatus;
import io.pharos.agent.mode.ModeView;
import io.pharos.agent.probe.ProbeTarget;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Mode;
import io.pharos.core.model.Observation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics (docs/metrics.md lists every series). Probe outcomes and
 * latencies are recorded as results come in; transport and mode series are read from one
 * {@link AgentStatus} snapshot per scrape, so a scrape is consistent with itself and costs nothing
 * between scrapes.
 *
 * <p>Every series carries {@code agent} (the agent's id) and {@code vantage} (the region it runs
 * in); {@code region} on probe series is the region of the endpoint probed. Nothing secret is
 * exported: ids, names, counts and times only.
 */
public final class AgentMetrics {
  /**
   * Latency buckets: probe timeouts are 150 ms to a few seconds, a healthy same-region answer a
   * millisecond or two; a bucket per step a person reads on a dashboard.
   */
  static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<AgentStatus> status;
  private final Supplier<ModeView> mode;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Timer> latencies = new HashMap<>();
  private volatile AgentStatus snapshot;
  private volatile ModeView modeSnapshot;

  /**
   * @param targets every endpoint the agent probes: their series exist (at 0) from the start, so
   *     that a rule on a missing series is never needed
   * @param status read once per scrape
   * @param mode read once per scrape
   */
  public AgentMetrics(String agentId, String vantage, List<ProbeTarget> targets, Supplier<AgentStatus> status,
      Supplier<ModeView> mode) {
    this.status = Objects.requireNonNull(status, "status");
    this.mode = Objects.requireNonNull(mode, "mode");
    registry.config().commonTags("agent", agentId, "vantage", vantage);
    for (ProbeTarget t : targets) {
      outcome(t.region(), t.endpoint().id(), "ok");
      latencies.put(t.key(), Timer.builder("pharos.agent.probe.latency")
          .description("probe latency by endpoint, failed probes included (a timeout counts at its timeout)")
          .tag("region", t.region()).tag("endpoint", t.endpoint().id())
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry));
    }
    counter("pharos.agent.reports.built", "reports signed and handed to the transport (heartbeats and edge reports)",
        AgentStatus::reportsBuilt);
    counter("pharos.agent.reports.edge", "reports sent at once because a result flipped or was confirmed",
        AgentStatus::edgeReports);
    counter("pharos.agent.reports.sent", "reports the controllers' cluster acknowledged (on at least one path)",
        s -> s.transport().sent());
    counter("pharos.agent.reports.dropped", "reports dropped because the buffer was full (oldest first)",
        s -> s.transport().dropped());
    counter("pharos.agent.reports.publish.failures", "report attempts that failed on every path (sent again)",
        s -> s.transport().publishFailures());
    counter("pharos.agent.report.path.repicks", "times the pair of report paths changed",
        s -> s.transport().pathRepicks());
    gauge("pharos.agent.reports.buffered", "reports waiting to be sent", s -> s.transport().buffered());
    gauge("pharos.agent.connected", "1 while the Hazelcast client is connected to a majority of the controllers",
        s -> s.transport().connected() ? 1 : 0);
    gauge("pharos.agent.ready", "1 while /ready answers UP", s -> s.ready() ? 1 : 0);
    gauge("pharos.agent.endpoints", "endpoints probed (every region's)", AgentStatus::targets);
    counter("pharos.agent.probes.run", "probes finished", AgentStatus::probesRun);
    counter("pharos.agent.probes.skipped", "probes not made because every connection the agent allows to the"
        + " host was in use (no result, not a failure)", AgentStatus::probesSkipped);
    for (String[] r : new String[][] {{"older", "a newer token was already held"}, {"malformed", "not decodable"},
        {"unsigned", "not signed by the controllers' key"}}) {
      FunctionCounter.builder("pharos.agent.mode.records.ignored", this,
              m -> switch (r[0]) {
                case "older" -> m.now().modeRecordsIgnored();
                case "malformed" -> m.now().modeRecordsMalformed();
                default -> m.now().modeRecordsRejected();
              })
          .description("mode records ignored, by reason (older: " + r[1] + ")").tag("reason", r[0])
          .register(registry);
    }
    for (Mode m : Mode.values()) {
      Gauge.builder("pharos.agent.mode", this, a -> a.modeNow().mode() == m ? 1 : 0)
          .description("1 for the mode /v1/mode answers now").tag("mode", m.label()).register(registry);
    }
    Gauge.builder("pharos.agent.self.fenced", this, a -> a.modeNow().selfFenced() ? 1 : 0)
        .description("1 while the agent answers read-only on its own because its mode lease ran out")
        .register(registry);
    Gauge.builder("pharos.agent.mode.lease.remaining", this, a -> a.modeNow().leaseRemainingMillis() / 1000.0)
        .description("seconds left on the region's mode lease").baseUnit("seconds").register(registry);
  }

  /** Records one probe result: its outcome and latency. */
  public void probed(ProbeTarget target, Observation o) {
    outcome(target.region(), target.endpoint().id(), outcome(o.failure())).increment();
    Timer t = latencies.get(target.key());
    if (t != null) {
      t.record(Duration.ofNanos(o.latencyMicros() * 1000));
    }
  }

  /** The Prometheus text exposition of every series now. */
  public String scrape() {
    snapshot = status.get();
    modeSnapshot = mode.get();
    return registry.scrape();
  }

  /** The registry, for tests that read a value. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The {@code outcome} label: {@code ok}, or the failure kind in lower case ({@code timeout}, {@code refused}...). */
  static String outcome(FailureKind failure) {
    return failure == FailureKind.NONE ? "ok" : failure.name().toLowerCase(Locale.ROOT);
  }

  private Counter outcome(String region, String endpoint, String outcome) {
    return outcomes.computeIfAbsent(region + "/" + endpoint + "/" + outcome, k -> Counter
        .builder("pharos.agent.probes").description("probe results by endpoint and outcome (ok, or the failure kind)")
        .tag("region", region).tag("endpoint", endpoint).tag("outcome", outcome).register(registry));
  }

  private AgentStatus now() {
    AgentStatus s = snapshot;
    return s != null ? s : (snapshot = status.get());
  }

  private ModeView modeNow() {
    ModeView m = modeSnapshot;
    return m != null ? m : (modeSnapshot = mode.get());
  }

  private void counter(String name, String description, ToDoubleFunction<AgentStatus> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.now())).description(description).register(registry);
  }

  private void gauge(String name, String description, ToDoubleFunction<AgentStatus> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.now())).description(description).register(registry);
  }
}
