package io.pharos.agent;

import io.pharos.agent.mode.ModeView;
import io.pharos.core.config.PharosConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A Pharos probe agent: probes every endpoint of every region, reports to the controllers over
 * Hazelcast (signed, heartbeat and edge-triggered), follows its region's mode and serves it on
 * {@code GET /v1/mode}.
 *
 * <pre>{@code
 * PharosConfig config = ConfigLoader.parse(yaml, System.getenv());  // PHAROS_REGION_KEY: eu-west's key
 * PharosAgent agent = new PharosAgent(config,
 *     AgentOptions.of("agent-eu-1", "eu-west", HostPort.parse("0.0.0.0:8080")), vertx, Clock.systemUTC());
 * agent.start().await();   // or compose on the future
 * ...
 * agent.stop();            // graceful: final report, client closed; idempotent
 * }</pre>
 */
public final class PharosAgent {
  private final Vertx vertx;
  private final AgentVerticle verticle;
  private Future<String> deployment;
  private Future<Void> started;
  private Future<Void> stopped;

  public PharosAgent(PharosConfig config, AgentOptions options, Vertx vertx, Clock clock) {
    this(config, options, vertx, clock, Ticker.system());
  }

  /**
   * @param clock wall clock: report timestamps and the start of {@code seq}
   * @param ticker monotonic clock: latencies, mode leases, uptime
   * @throws IllegalArgumentException when {@code options.region()} is not a configured region
   * @throws io.pharos.core.config.ConfigException when the config holds no region key, or another
   *     region's ({@code security.regionKeyEnv}), or names no controllers' public key
   *     ({@code security.controllerPublicKey}): an agent trusts only mode records signed with it
   */
  public PharosAgent(PharosConfig config, AgentOptions options, Vertx vertx, Clock clock, Ticker ticker) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    if (config.region(options.region()).isEmpty()) {
      throw new IllegalArgumentException("agent region '" + options.region() + "' is not a configured region; "
          + "configured regions: " + config.regionNames());
    }
    config.controllerKeys().requireTrusted("an agent");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.verticle = new AgentVerticle(config, options, config.security().requireRegionKey(options.region()),
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(ticker, "ticker"), new SplittableRandom());
  }

  /**
   * Starts probing, the HTTP endpoint and the cluster client. Completes once the HTTP endpoint
   * listens; it does not wait for a controller (see {@code /ready}). Calling it again returns the
   * same future.
   */
  public synchronized Future<Void> start() {
    if (stopped != null) {
      return Future.failedFuture(new IllegalStateException("the agent was stopped; create a new one"));
    }
    if (deployment == null) {
      deployment = vertx.deployVerticle(verticle);
      started = deployment.mapEmpty();
    }
    return started;
  }

  /** Stops gracefully (final report, buffered reports drained for up to 2 s); idempotent. */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      stopped = deployment == null ? Future.succeededFuture()
          : deployment.transform(ar -> ar.succeeded() ? vertx.undeploy(ar.result()) : Future.succeededFuture());
    }
    return stopped;
  }

  /** The port the HTTP endpoint is bound to (useful with port 0), or -1 before start. */
  public int httpPort() {
    return verticle.httpPort();
  }

  /** What {@code /v1/mode} answers now. */
  public ModeView mode() {
    return verticle.mode();
  }

  /** The Prometheus metrics that {@code GET /metrics} serves. */
  public io.pharos.agent.metrics.AgentMetrics metrics() {
    return verticle.metrics();
  }

  /** Counters and last results; safe to call from any thread. */
  public AgentStatus status() {
    return verticle.status();
  }

  static String version() {
    String v = PharosAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
