package io.pharos.agent;

import io.pharos.agent.http.AgentHttpServer;
import io.pharos.agent.metrics.AgentMetrics;
import io.pharos.agent.mode.ModeState;
import io.pharos.agent.mode.ModeView;
import io.pharos.agent.mode.ModeWatcher;
import io.pharos.agent.probe.ProbeResult;
import io.pharos.agent.probe.ProbeScheduler;
import io.pharos.agent.probe.ProbeTarget;
import io.pharos.agent.probe.ProbeTimer;
import io.pharos.agent.probe.Probes;
import io.pharos.agent.report.Reporter;
import io.pharos.agent.transport.AgentClientConfig;
import io.pharos.agent.transport.ClusterConnection;
import io.pharos.agent.transport.HazelcastPublisher;
import io.pharos.agent.transport.PublisherStats;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.Observation;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ModeRecordVerifier;
import io.pharos.core.wire.ReportLimits;
import io.pharos.core.wire.ReportSigner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything of one agent on one event-loop context: probes, scheduler, reports, transport, mode
 * and HTTP. Hazelcast calls run on the transport's worker; their results come back here.
 */
final class AgentVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);
  /** How long a stopping agent waits for buffered reports to reach the cluster. */
  static final long DRAIN_ON_STOP_MS = 2000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final PharosConfig config;
  private final AgentOptions options;
  private final RegionKey regionKey;
  private final Clock clock;
  private final Ticker ticker;
  private final RandomGenerator random;
  private final List<ProbeTarget> targets = new ArrayList<>();
  private final Map<String, Observation> lastResults = new ConcurrentHashMap<>();
  private final ModeState modeState;
  private final AgentMetrics metrics;
  private volatile long startedAt;
  private volatile ProbeScheduler scheduler;
  private volatile Reporter reporter;
  private volatile HazelcastPublisher publisher;
  private volatile ModeWatcher modeWatcher;
  private Probes probes;
  private ClusterConnection connection;
  private AgentHttpServer http;
  private long heartbeatTimer = -1;

  AgentVerticle(PharosConfig config, AgentOptions options, RegionKey regionKey, Clock clock, Ticker ticker,
      RandomGenerator random) {
    this.config = config;
    this.options = options;
    this.regionKey = regionKey;
    this.clock = clock;
    this.ticker = ticker;
    this.random = random;
    for (RegionConfig r : config.regions()) {
      for (EndpointConfig e : r.endpoints()) {
        targets.add(new ProbeTarget(r.name(), e));
      }
      if (r.name().equals(options.region()) && r.capacity() != null) {
        // its own region's headroom only: the report's key speaks for this region alone
        java.time.Duration every = io.pharos.core.model.Capacity.interval(config.probes());
        targets.add(new ProbeTarget(r.name(), new EndpointConfig(io.pharos.core.model.Capacity.ENDPOINT,
            EndpointConfig.Kind.HTTP, r.capacity(), null, 200, null, config.policy().latencyBudget(), every,
            config.probes().timeout(), false)));
      }
    }
    String primary = config.policy().writePrimary();
    this.modeState = new ModeState(options.region(), options.region().equals(primary), config.policy().selfFence(),
        config.policy().modeLease().toMillis(), ticker, new ModeRecordVerifier(config.controllers().group(),
            config.controllerKeys().requireTrusted("an agent")));
    this.metrics = new AgentMetrics(options.agentId(), options.region(), targets, this::status, modeState::view);
  }

  @Override
  public Future<?> start() {
    startedAt = ticker.millis();
    probes = new Probes(vertx, clock, ticker);
    String name = options.agentId() + "-" + INSTANCES.incrementAndGet();
    connection = new ClusterConnection(vertx, context, AgentClientConfig.build(config, options.agentId()), name,
        config.controllers().majority());
    ReportSigner signer = new ReportSigner(regionKey);
    long started = startedAt;
    java.util.function.LongSupplier uptime = () -> ticker.millis() - started;
    publisher = new HazelcastPublisher(connection, vertx, options.bufferLimit(), signer, uptime, options.agentId());
    modeWatcher = new ModeWatcher(vertx, connection, options.region(), modeState);
    // a random id per start: replay protection is per boot, never derived from the wall clock
    long bootId = new java.security.SecureRandom().nextLong();
    reporter = new Reporter(options.agentId(), regionKey, bootId, clock, uptime, ReportLimits.of(config).frameBytes(),
        publisher, task -> context.runOnContext(v -> task.run()));
    scheduler = new ProbeScheduler(targets, config.probes(), probes, ProbeTimer.vertx(vertx, ticker), random, clock,
        this::onResult);
    http = new AgentHttpServer(vertx, options.listen(), modeState::view, this::status, metrics::scrape);
    return http.start()
        .compose(port -> connection.start().map(port))
        .onSuccess(port -> {
          scheduler.start();
          long heartbeat = Math.max(1, config.probes().heartbeat().toMillis());
          heartbeatTimer = vertx.setPeriodic(heartbeat, id -> reporter.reportNow());
          LOG.info("agent '{}' in region '{}' probing {} endpoints, HTTP on port {}", options.agentId(),
              options.region(), targets.size(), port);
        })
        .onFailure(e -> {
          LOG.error("agent '{}' failed to start: {}", options.agentId(), e.toString());
          closeResources();
        });
  }

  /** Graceful: stop probing, send a final report, give the buffer a moment to drain, close. */
  @Override
  public Future<?> stop() {
    if (scheduler != null) {
      scheduler.stop();
    }
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
    if (reporter == null) {
      return closeResources();
    }
    reporter.reportNow();
    return publisher.drain(DRAIN_ON_STOP_MS).eventually(this::closeResources);
  }

  private Future<Void> closeResources() {
    if (publisher != null) {
      publisher.close();
    }
    Future<Void> hz = connection == null ? Future.succeededFuture() : connection.close();
    return hz.eventually(() -> http == null ? Future.succeededFuture() : http.close())
        .eventually(() -> probes == null ? Future.succeededFuture() : probes.close())
        .onFailure(e -> LOG.warn("agent '{}' did not close cleanly: {}", options.agentId(), e.toString()));
  }

  private void onResult(ProbeResult r) {
    lastResults.put(r.target().key(), r.observation());
    metrics.probed(r.target(), r.observation());
    reporter.add(r.observation());
    if (r.urgent()) {
      reporter.reportSoon();
    }
  }

  int httpPort() {
    return http == null ? -1 : http.port();
  }

  AgentMetrics metrics() {
    return metrics;
  }

  ModeView mode() {
    return modeState.view();
  }

  AgentStatus status() {
    ProbeScheduler s = scheduler;
    Reporter rep = reporter;
    HazelcastPublisher pub = publisher;
    ModeWatcher watcher = modeWatcher;
    List<Observation> results = new ArrayList<>();
    for (ProbeTarget t : targets) {
      Observation o = lastResults.get(t.key());
      if (o != null) {
        results.add(o);
      }
    }
    return new AgentStatus(options.agentId(), options.region(), PharosAgent.version(),
        startedAt == 0 ? 0 : ticker.millis() - startedAt, targets.size(), s == null ? 0 : s.probedOnce(),
        s == null ? 0 : s.probesRun(), s == null ? 0 : s.probesSkipped(),
        rep == null ? 0 : rep.reportsBuilt(), rep == null ? 0 : rep.edgeReports(),
        pub == null ? PublisherStats.none() : pub.stats(), modeState.ignoredOlder(),
        watcher == null ? 0 : watcher.malformed(), modeState.rejected(), modeState.takenFromOlderTerm(), results);
  }
}
