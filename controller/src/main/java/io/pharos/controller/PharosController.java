package io.pharos.controller;

import com.hazelcast.core.HazelcastInstance;
import io.pharos.controller.alert.ControlPlaneWatch;
import io.pharos.controller.alert.LocalAlerts;
import io.pharos.controller.alert.ProviderAlerts;
import io.pharos.controller.cluster.DataPlaneWatchdog;
import io.pharos.controller.cluster.HazelcastMembership;
import io.pharos.controller.decide.DecisionLoop;
import io.pharos.controller.failover.ActionLog;
import io.pharos.controller.failover.DnsVerifier;
import io.pharos.controller.failover.HazelcastModeStore;
import io.pharos.controller.failover.IntentExecutor;
import io.pharos.controller.failover.JournalZoneStore;
import io.pharos.controller.failover.Failover;
import io.pharos.controller.failover.Operations;
import io.pharos.controller.failover.ServedZone;
import io.pharos.controller.http.ControllerApi;
import io.pharos.controller.http.ControllerStatus;
import io.pharos.controller.http.ControllerView;
import io.pharos.controller.ingest.KeyRotations;
import io.pharos.controller.ingest.ReportIngest;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.notify.AlertDelivery;
import io.pharos.controller.failover.ReadinessWatch;
import io.pharos.controller.webhook.ModeWebhooks;
import io.pharos.controller.webhook.WebhookSecrets;
import io.pharos.controller.raft.RaftJournal;
import io.pharos.controller.raft.RaftWatch;
import io.pharos.controller.status.StatusPage;
import io.pharos.core.config.ControllerKeyConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.wire.ModeRecordSigner;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.embedded.DnsServerSettings;
import io.pharos.dns.embedded.EmbeddedDnsServer;
import io.pharos.dns.reconcile.ZoneReconciler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller, wired: a Hazelcast member receiving every agent's reports, a seat in the Raft
 * journal, the decision loop every controller runs, and — on the leader — the executor that acts;
 * it also serves the embedded DNS zone and the HTTP API. This class only builds the parts, starts
 * them in order and stops them in reverse; each part lives in the package named for it.
 */
public final class PharosController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PharosController.class);
  /**
   * Exit codes for the supervisor (docs/runbooks.md): the Raft server closed, the data plane
   * wedged (restart me); a committed journal entry this controller cannot apply (do not restart
   * blindly: it stops at the same entry again).
   */
  static final int EXIT_RAFT_CLOSED = 70;
  static final int EXIT_DATA_PLANE_WEDGED = 71;
  static final int EXIT_UNAPPLIABLE_ENTRY = 72;

  private final PharosConfig config;
  private final ControllerOptions options;
  private final ControllerPeer self;
  private final Clock clock;
  private final long startedAt;
  private final ControllerMetrics metrics;
  private final RaftJournal raft;
  private final ActionLog actions;
  private final ControllerKeyConfig.SigningKey signingKey;
  private final Closer parts = new Closer();
  private volatile boolean stopping;
  private ControllerView view;
  private EmbeddedDnsServer dnsServer;
  private ControllerApi api;

  private PharosController(PharosConfig config, ControllerOptions options, Clock clock) {
    // before anything starts: a controller derives every region's report key from the master secret
    config.security().requireMasterSecret();
    this.config = config;
    this.options = options;
    this.self = config.controllers().peer(options.id()).orElseThrow(() -> new IllegalArgumentException(
        "controller id '" + options.id() + "' is not in controllers.peers (configured: "
            + config.controllers().peers().stream().map(ControllerPeer::id).toList() + ")"));
    this.clock = clock;
    this.signingKey = signingKey(config);
    this.startedAt = clock.millis();
    this.metrics = new ControllerMetrics(self.id(), clock);
    // Raft's server binds where this controller listens; its group names every peer as configured
    this.raft = new RaftJournal(config.controllers(), self.boundTo(options.bindHost()), options.dataDir(), ControlState.initial(config),
        metrics.errors());
    this.actions = options.actionLog() == null ? ActionLog.off(self.id())
        : ActionLog.to(self.id(), options.actionLog(), metrics.errors());
  }

  /** Starts everything; blocks until the controller serves (it may not have a Raft majority yet). */
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
    // each receiver's secret is read first: a missing one stops the start, naming where it looked
    ModeWebhooks webhooks = parts.add(new ModeWebhooks(config, WebhookSecrets.read(config.webhooks(), System.getenv()),
        raft, clock, metrics.registry()));
    HazelcastInstance hazelcast = HazelcastMembership.start(config, self,
        self.boundTo(options.bindHost()).hazelcast().host());
    parts.add(hazelcast::shutdown);
    // not clustered: controllers share nothing over a Vert.x event bus. The native transport (epoll,
    // where there is one) lets the name server answer UDP on every core (EmbeddedDnsServer)
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
    LOG.info("controller {}: Vert.x on the {} transport", self.id(), vertx.isNativeTransportEnabled() ? "native (epoll)"
        : "NIO");
    parts.add(() -> await(vertx.close()));
    parts.add(raft);
    ProviderAlerts providerAlerts = new ProviderAlerts(self.id(), clock, metrics, raft);
    DnsProvider provider = parts.add(DnsProviders.create(config.dns(), DnsProviderContext.embedded(
        new JournalZoneStore(raft, self.id(), clock), clock).withEnv(System.getenv()).withEvents(providerAlerts)));
    long modeLease = config.policy().modeLease().toMillis();
    HazelcastModeStore modes = parts.add(new HazelcastModeStore(hazelcast, config,
        new ModeRecordSigner(signingKey.privateKey(), signingKey.publicKey()), clock, metrics.errors()));
    Failover failover = new Failover(self.id(), clock, raft, modes, modeLease, provider, new ZoneReconciler(provider, config.dns(), clock, providerAlerts),
        new DnsVerifier(config.dns(), config.controllers().peers()),
        IntentExecutor.Timeouts.defaults(DnsProviders.liveDeadline(config.dns())), actions, metrics.errors());
    providerAlerts.journalTo(failover.executor()::submit);
    providerAlerts.checkAtStart(provider);
    LocalAlerts localAlerts = new LocalAlerts(clock, metrics.registry());
    // alerts to people: the leader delivers the journaled ones, every controller its own (notify/)
    parts.add(AlertDelivery.start(config, self.id(), clock, raft, failover.executor()::submit, localAlerts,
        metrics.registry(), metrics.errors()));
    ServedZone served = new ServedZone(raft, self.region());
    // reports are verified on the listener threads and only what passed is queued (ingest/)
    ReportIngest ingest = new ReportIngest(config, clock, metrics, region -> raft.state().regionKey(region));
    DecisionLoop loop = new DecisionLoop(config, self.id(), clock, metrics, raft::state, step -> {
      failover.onStep(step);
      served.onStep(step);
    }, ingest);
    raft.onApplied(a -> {
      loop.poke();
      served.refresh();
    });
    webhooks.start();
    // Raft last: a controller elected leader must already have everything it needs to act
    raft.start(options.join());
    parts.add(loop.start());
    parts.add(failover.start());
    parts.add(new RaftWatch(raft, metrics.errors(), () -> exit(EXIT_RAFT_CLOSED, "the Raft server of controller "
        + self.id() + " has stopped"), why -> exit(EXIT_UNAPPLIABLE_ENTRY, "controller " + self.id() + " stopped"
            + " its journal replica: " + why + " (docs/runbooks.md, 'A controller exited with code 72')")).start());
    DataPlaneWatchdog dataPlane = parts.add(DataPlaneWatchdog.startFor(hazelcast, clock,
        why -> exit(EXIT_DATA_PLANE_WEDGED, why), metrics));
    parts.add(new ControlPlaneWatch(raft, raft::followerLastContact, localAlerts,
        config.controllers().electionTimeoutMax().toMillis(), metrics.errors(), List.of(served::refresh)).start());
    parts.add(ingest.listen(hazelcast)::close);
    dnsServer = new EmbeddedDnsServer(vertx, config.dns(), served,
        new DnsServerSettings(self.dns(), Optional.empty(), DnsVerifier.nameServers(config), config.dns().server()));
    parts.add(() -> await(dnsServer.stop()));
    await(dnsServer.start());
    Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    readiness.put("raftLeaderKnown", () -> raft.leaderId().isPresent());
    readiness.put("journalApplying", () -> raft.halted().isEmpty());
    readiness.put("hazelcast", () -> hazelcast.getLifecycleService().isRunning());
    readiness.put("hazelcastDataPlane", dataPlane::healthy);
    readiness.put("dnsServer", () -> dnsServer != null);
    readiness.put("dnsProvider", () -> provider.health().healthy());
    readiness.put("decisionLoop", () -> loop.latest() != null);
    // reported, not a failing check: an operator who opted out of TLS still wants a ready controller
    Map<String, java.util.function.Supplier<String>> details = new LinkedHashMap<>();
    details.put("raftTransport", raft::transport);
    details.put("journal", () -> raft.halted().map(why -> "stopped: " + why).orElse("applying"));
    ReadinessWatch failoverReadiness = parts.add(new ReadinessWatch(config, clock, raft, provider, loop::latest,
        metrics.errors()).start());
    failover.alsoAlertOn(failoverReadiness::analyses);
    view = new ControllerStatus(new ControllerStatus.Sources(config, self, clock, startedAt, raft,
        raft::followerLastContact, metrics, loop::latest, provider, readiness, details, localAlerts))
        .withFailoverReadiness(failoverReadiness::json);
    Operations ops = new Operations(config, self.id(), clock, raft, raft, failover.executor(), loop::latest);
    StatusPage statusPage = new StatusPage(config, raft, loop::latest, clock, metrics.errors());
    api = ControllerApi.create(vertx, config, self.boundTo(options.bindHost()), options.dataDir().resolve(self.id()),
        clock, view, ops, raft, metrics, signingKey.privateKey(), statusPage::mount);
    statusPage.guardWith(api.gate());
    parts.add(() -> await(api.stop()));
    await(api.start());
    statusPage.start(vertx);
    parts.add(statusPage::stop);
    metrics.leadership(raft);
    metrics.raft(raft::progress);
    new io.pharos.controller.metrics.DnsMetrics(metrics).provider(provider).server(dnsServer::counters);
    new io.pharos.controller.metrics.RegionMetrics(metrics, config.regionNames(), raft::state, loop::latest);
    LOG.info("controller {} serving: api {}, dns {}, raft {}, hazelcast {}", self.id(), self.api(), self.dns(),
        self.raft(), self.hazelcast());
  }

  /**
   * The controllers' signing key (mode records, audit truncation anchors), from the environment or
   * its file: no controller starts without it.
   */
  private static ControllerKeyConfig.SigningKey signingKey(PharosConfig config) {
    return config.controllerKeys().signingKey(file -> {
      try {
        return Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * A controller that lost its Raft server or whose Hazelcast member is wedged (ADR 0009) must not
   * keep serving: it exits and its supervisor restarts it (it then recovers from its storage).
   */
  private void exit(int code, String why) {
    if (!stopping) {
      LOG.error("{}; exiting so that controller {} is restarted", why, self.id());
      Runtime.getRuntime().halt(code);
    }
  }

  /** The journal's state as this controller has applied it. */
  public ControlState state() {
    return raft.state();
  }

  /** This controller's seat in the Raft group (leadership, members). */
  public RaftJournal raft() {
    return raft;
  }

  /** What the HTTP API serves: status, controllers, readiness, events, metrics. */
  public ControllerView view() {
    return view;
  }

  public int dnsPort() {
    return dnsServer.udpPort();
  }

  public int apiPort() {
    return api.port();
  }

  /** The API's refused calls, counted (tests). */
  public io.pharos.controller.http.auth.Refusals apiRefusals() {
    return api.refusals();
  }

  @Override
  public void close() {
    stopping = true;
    LOG.info("controller {} stopping", self.id());
    parts.closeAll(e -> metrics.errors().record(LOG, "controller.stop", "while stopping", e));
    actions.close();
  }

  private static void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
