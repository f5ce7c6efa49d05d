package io.pharos.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.pharos.controller.act.ActionLog;
import io.pharos.controller.act.AlertJournal;
import io.pharos.controller.act.DnsVerifier;
import io.pharos.controller.act.ModePublisher;
import io.pharos.controller.act.ModeRenewer;
import io.pharos.controller.act.Operations;
import io.pharos.controller.http.AdminApi;
import io.pharos.controller.act.RaftZoneStore;
import io.pharos.controller.act.Reconciler;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.controller.cluster.DataPlaneWatchdog;
import io.pharos.controller.cluster.HazelcastMembership;
import io.pharos.controller.cluster.LocalPartitionProbe;
import io.pharos.controller.decide.DecisionLoop;
import io.pharos.controller.http.ControllerApi;
import io.pharos.controller.http.ControllerView;
import io.pharos.controller.http.StatusJson;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.quorum.PharosStateMachine;
import io.pharos.controller.quorum.RaftQuorum;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.ControlState;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.wire.RejectReason;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.pharos.core.journal.AlertRaised;
import io.pharos.dns.embedded.DnsServerSettings;
import io.pharos.dns.embedded.EmbeddedDnsServer;
import io.pharos.dns.embedded.NameServer;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller: a Hazelcast member receiving every agent's reports, a seat in the Raft group,
 * the decision loop every controller runs, and — on the leader — the reconciler that acts. It
 * also serves the embedded DNS zone and the HTTP API.
 */
public final class PharosController implements ControllerView, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PharosController.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration DATA_PLANE_PROBE_INTERVAL = Duration.ofSeconds(2);
  private static final Duration DATA_PLANE_PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DATA_PLANE_WEDGED_AFTER = Duration.ofSeconds(30);
  /** Longer than a write waiting out a frozen member (its backup ack, then its removal after 5 s). */
  private static final Duration MODE_WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final PharosConfig config;
  private final ControllerPeer self;
  private final Clock clock;
  private final long startedAt;
  private final ControllerMetrics metrics;
  private final PharosStateMachine journal;
  private final RaftQuorum quorum;
  private final String adminToken;
  private final boolean join;
  private final ActionLog actions;
  private HazelcastInstance hazelcast;
  private Vertx vertx;
  private DecisionLoop loop;
  private Reconciler reconciler;
  private ModeRenewer renewer;
  private DataPlaneWatchdog dataPlane;
  private volatile boolean stopping;
  private DnsProvider provider;
  private EmbeddedDnsServer dnsServer;
  private ControllerApi api;

  private PharosController(PharosConfig config, ControllerOptions options, Clock clock) {
    this.config = config;
    this.self = config.controllers().peer(options.id()).orElseThrow(() -> new IllegalArgumentException(
        "controller id '" + options.id() + "' is not in controllers.peers (configured: "
            + config.controllers().peers().stream().map(ControllerPeer::id).toList() + ")"));
    this.clock = clock;
    this.startedAt = clock.millis();
    this.metrics = new ControllerMetrics(self.id());
    this.journal = new PharosStateMachine(ControlState.initial(config));
    this.quorum = new RaftQuorum(config.controllers(), self, options.dataDir(), journal);
    this.adminToken = options.adminToken();
    this.join = options.join();
    this.actions = options.actionLog() == null ? ActionLog.off(self.id()) : ActionLog.to(self.id(), options.actionLog());
  }

  /** Starts everything; blocks until the controller serves (it may not have a quorum yet). */
  public static PharosController start(PharosConfig config, ControllerOptions options, Clock clock) throws Exception {
    PharosController c = new PharosController(config, options, clock);
    try {
      c.startAll();
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    hazelcast = HazelcastMembership.start(config, self);
    vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    provider = DnsProviders.create(config.dns(), DnsProviderContext.embedded(
        new RaftZoneStore(journal, quorum, self.id(), clock), clock).withEnv(System.getenv())
        .withEvents(this::providerEvent));
    ZoneReconciler zone = new ZoneReconciler(provider, config.dns(), clock, this::providerEvent);
    renewer = new ModeRenewer(clock, quorum, journal, new ModePublisher(hazelcast, config.policy().modeLease().toMillis(),
        MODE_WRITE_TIMEOUT),
        actions, config.policy().modeLease().toMillis());
    reconciler = new Reconciler(self.id(), clock, quorum, journal, renewer, provider, zone,
        new DnsVerifier(config.dns(), config.controllers().peers()), DnsProviders.liveDeadline(config.dns()), actions);
    checkProvider();
    AlertJournal alerts = new AlertJournal(self.id(), clock, reconciler, quorum::term);
    loop = new DecisionLoop(config, self.id(), clock, metrics, journal::state, step -> {
      if (quorum.isActingLeader()) {
        alerts.update(step.analyses());
        if (step.decision() != null) {
          reconciler.propose(step.decision());
        }
      }
    });
    journal.onApplied(a -> {
      loop.poke();
      reconciler.kick();
    });
    journal.onLeadershipChange(reconciler::kick);
    // Raft last: a controller elected leader must already have everything it needs to act
    quorum.start(join);
    loop.start();
    reconciler.start();
    renewer.start();
    watchRaft();
    watchDataPlane();
    ITopic<byte[]> reports = hazelcast.getTopic(ClusterNames.REPORTS);
    reports.addMessageListener(m -> loop.offer(m.getMessageObject()));
    dnsServer = new EmbeddedDnsServer(vertx, config.dns(), () -> quorum.caughtUp() ? journal.state().zone() : null,
        new DnsServerSettings(self.dns(), Optional.empty(), nameServers()));
    dnsServer.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Operations ops = new Operations(config, self.id(), clock, quorum, journal, reconciler, loop::latest);
    api = new ControllerApi(vertx, self.api(), this, new AdminApi(vertx, ops, adminToken));
    api.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    metrics.gauge("pharos.raft.term", "current Raft term", quorum::term);
    metrics.gauge("pharos.raft.leader", "1 when this controller is the acting leader",
        () -> quorum.isActingLeader() ? 1 : 0);
    LOG.info("controller {} serving: api {}, dns {}, raft {}, hazelcast {}", self.id(), self.api(), self.dns(),
        self.raft(), self.hazelcast());
  }

  /**
   * Ratis closes its server on a fatal error (an exception while applying, a very long pause). A
   * controller without its Raft server must not keep serving the zone: exit, and let the
   * supervisor restart it (it then recovers from its storage). The same thread keeps the Raft
   * channels to the other controllers out of gRPC's reconnect backoff ({@link RaftQuorum#resetPeerBackoff}).
   */
  private void watchRaft() {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
        quorum.resetPeerBackoff();
        if (quorum.closed() && !stopping) {
          LOG.error("the Raft server of controller {} has stopped; exiting so that it is restarted", self.id());
          Runtime.getRuntime().halt(70);
        }
      }
    }, "pharos-raft-watch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * A Hazelcast member can stay up with its partitions stuck (ADR 0009): the leader then cannot
   * write the mode map, so it cannot fence. The member that stops answering for its own partitions
   * exits, like a controller whose Raft server closed, and its supervisor restarts it.
   */
  private void watchDataPlane() {
    dataPlane = new DataPlaneWatchdog(clock, DATA_PLANE_PROBE_TIMEOUT, DATA_PLANE_WEDGED_AFTER,
        new LocalPartitionProbe(hazelcast), why -> {
          if (!stopping) {
            LOG.error("{}; exiting so that controller {} is restarted", why, self.id());
            Runtime.getRuntime().halt(71);
          }
        }).start(DATA_PLANE_PROBE_INTERVAL);
    metrics.gauge("pharos.hazelcast.dataplane.up", "1 when this member answered its last data-plane probe",
        () -> dataPlane.healthy() ? 1 : 0);
  }

  /** An unreachable provider at start is an alert, not a crash: the controller serves and retries. */
  private void checkProvider() {
    try {
      var health = provider.check().get(30, TimeUnit.SECONDS);
      LOG.info("DNS provider {}: {}", provider.name(), health.detail());
    } catch (Exception e) {
      Throwable t = e.getCause() != null ? e.getCause() : e;
      LOG.error("DNS provider {} failed its start-up check: {}", provider.name(), t.getMessage());
      metrics.alert("DnsProviderUnreachable", "CRITICAL");
    }
    metrics.gauge("pharos.dns.provider.up", "1 when the DNS provider is healthy", () -> provider.health().healthy()
        ? 1 : 0);
  }

  /** Provider trouble (breaker, throttling, INSYNC deadline, drift, rejected records) is loud. */
  private void providerEvent(ProviderEvent e) {
    metrics.alert(e.code(), e.severity().name());
    if (e.severity() == ProviderEvent.Severity.INFO) {
      LOG.info("{}: {}", e.code(), e.message());
    } else {
      LOG.warn("{}: {}", e.code(), e.message());
    }
    if (reconciler != null && quorum.isActingLeader()) {
      reconciler.submit(new AlertRaised(e.code(), e.severity().name(), null, e.message(), false, quorum.term(),
          clock.millis(), self.id()));
    }
  }

  private List<NameServer> nameServers() {
    List<NameServer> out = new ArrayList<>();
    int i = 1;
    for (ControllerPeer p : config.controllers().peers()) {
      out.add(new NameServer("ns" + i++ + "." + config.dns().zone(), p.dns().host()));
    }
    return out;
  }

  public ControlState state() {
    return journal.state();
  }

  public RaftQuorum quorum() {
    return quorum;
  }

  public int dnsPort() {
    return dnsServer.udpPort();
  }

  public int apiPort() {
    return api.port();
  }

  @Override
  public ObjectNode status() {
    ObjectNode q = MAPPER.createObjectNode();
    q.put("role", quorum.role());
    q.put("leader", quorum.leaderId().orElse(null));
    q.put("term", quorum.term());
    q.put("acting", quorum.isActingLeader());
    q.put("lastApplied", quorum.lastAppliedIndex());
    Map<String, Double> rejected = new LinkedHashMap<>();
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r.label(), metrics.rejectedCount(r));
    }
    Step step = loop == null ? null : loop.latest();
    long grace = startedAt + config.policy().startupGrace().toMillis() - clock.millis();
    ObjectNode status = StatusJson.render(self.id(), q, step, journal.state(), grace, rejected);
    if (provider != null) {
      // health() does no I/O; counters: requests (per operation), retries, throttled, breaker, budget
      var h = provider.health();
      ObjectNode p = status.putObject("dnsProvider");
      p.put("name", provider.name()).put("state", h.state().name()).put("breaker", h.breaker())
          .put("detail", h.detail());
      ObjectNode c = p.putObject("counters");
      h.counters().forEach(c::put);
    }
    status.set("configuredWeights", MAPPER.valueToTree(io.pharos.core.decision.WeightPlan.base(config.dns())));
    if (quorum.leaderId().isEmpty()) {
      AnalysisCode code = AnalysisCode.CONTROLLER_MINORITY;
      ((com.fasterxml.jackson.databind.node.ArrayNode) status.get("analyses")).addObject().put("code", code.label())
          .put("severity", code.severity().name()).putNull("region")
          .put("message", "this controller sees no Raft leader (no majority of controllers reachable): it changes"
              + " nothing (fail-static)");
    }
    return status;
  }

  @Override
  public ObjectNode controllers() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("controller", self.id());
    n.put("role", quorum.role());
    n.put("leader", quorum.leaderId().orElse(null));
    n.put("term", quorum.term());
    n.put("acting", quorum.isActingLeader());
    n.put("lastApplied", quorum.lastAppliedIndex());
    ObjectNode followers = n.putObject("followers");
    quorum.followerLastContact().forEach((id, ms) -> followers.putObject(id).put("lastContactMs", ms));
    var peers = n.putArray("peers");
    for (ControllerPeer p : config.controllers().peers()) {
      peers.addObject().put("id", p.id()).put("region", p.region()).put("raft", p.raft().toString())
          .put("api", p.api().toString());
    }
    return n;
  }

  @Override
  public List<PharosEvent> events(long sinceMillis) {
    return journal.state().events().stream().filter(e -> e.at() >= sinceMillis).toList();
  }

  @Override
  public boolean ready() {
    return !readinessChecks().containsValue(false);
  }

  @Override
  public ObjectNode readiness() {
    Map<String, Boolean> checks = readinessChecks();
    ObjectNode n = MAPPER.createObjectNode();
    n.put("ready", !checks.containsValue(false));
    ObjectNode c = n.putObject("checks");
    checks.forEach(c::put);
    n.put("version", PharosController.class.getPackage().getImplementationVersion());
    n.put("uptimeMs", clock.millis() - startedAt);
    return n;
  }

  /** What {@code /ready} checks, by name; none does I/O. Ready when every one holds. */
  private Map<String, Boolean> readinessChecks() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("raftLeaderKnown", quorum.leaderId().isPresent());
    checks.put("hazelcast", hazelcast != null && hazelcast.getLifecycleService().isRunning());
    checks.put("hazelcastDataPlane", dataPlane != null && dataPlane.healthy());
    checks.put("dnsServer", dnsServer != null);
    checks.put("dnsProvider", provider != null && provider.health().healthy());
    checks.put("decisionLoop", loop != null && loop.latest() != null);
    return checks;
  }

  @Override
  public String metrics() {
    return metrics.scrape();
  }

  @Override
  public void close() {
    stopping = true;
    LOG.info("controller {} stopping", self.id());
    if (api != null) {
      await(api.stop());
    }
    if (dnsServer != null) {
      await(dnsServer.stop());
    }
    if (reconciler != null) {
      reconciler.close();
    }
    if (renewer != null) {
      renewer.close();
    }
    if (dataPlane != null) {
      dataPlane.close();
    }
    if (loop != null) {
      loop.close();
    }
    if (provider != null) {
      provider.close();
    }
    quorum.close();
    actions.close();
    if (vertx != null) {
      await(vertx.close());
    }
    if (hazelcast != null) {
      hazelcast.shutdown();
    }
  }

  private static void await(io.vertx.core.Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("while stopping: {}", e.toString());
    }
  }
}
