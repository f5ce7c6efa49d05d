package io.pharos.controller.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.failover.Operations;
import io.pharos.controller.http.audit.AuditRecorder;
import io.pharos.controller.http.auth.ApiGate;
import io.pharos.controller.http.auth.RateLimiter;
import io.pharos.controller.http.auth.Refusals;
import io.pharos.controller.http.auth.TokenStore;
import io.pharos.controller.http.breakglass.BreakGlass;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditTrail;
import io.pharos.core.journal.Journal;
import io.pharos.core.model.PharosEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The controller's HTTP surface. Open unless the config closes them: {@code /health},
 * {@code /ready}, {@code /metrics}. Viewer: {@code /v1/status}, {@code /v1/events} (JSON lines),
 * {@code /v1/controllers}, {@code /v1/audit} (the audit chain as JSON lines). Admin:
 * {@code /v1/tokens} (names and roles, never hashes). The calls that change something are
 * {@link AdminApi}'s; break-glass codes are exchanged at {@code /v1/breakglass}. Served over TLS
 * 1.2+ when {@code api.tls} names a certificate.
 */
public final class ControllerApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What the API serves.
   *
   * @param periodic what runs off the event loop every 2 s (audit records waiting for the journal)
   * @param extra more routes another part mounts (e.g. a key-rotation call); each must put
   *     {@code gate.require(Role.ADMIN)} (or the role it needs) first: {@code /v1/*} is authenticated
   *     by then
   */
  public record Parts(ControllerView view, ApiGate gate, Refusals refusals, AdminApi admin, BreakGlass breakGlass,
      TokenStore tokens, Supplier<AuditTrail> audit, Runnable periodic, Consumer<Router> extra) {}

  private final Vertx vertx;
  private final HostPort listen;
  private final ApiConfig config;
  private final String controllerId;
  private final Parts p;
  private HttpServer server;
  private long reloadTimer = -1;

  public ControllerApi(Vertx vertx, HostPort listen, ApiConfig config, String controllerId, Parts parts) {
    this.vertx = vertx;
    this.listen = listen;
    this.config = config;
    this.controllerId = controllerId;
    this.p = parts;
  }

  public Future<HttpServer> start() {
    Router router = router();
    // HTTP/1.1 only: no cleartext HTTP/2 upgrade, so a refused call's connection can be closed alone
    HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false)
        .setIdleTimeout(60).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS); // no connection held for ever
    if (config.tls() != null && config.tls().certFile() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
              .setCertPath(ApiConfig.Tls.forController(config.tls().certFile(), controllerId))
              .setKeyPath(ApiConfig.Tls.forController(config.tls().keyFile(), controllerId)))
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
          // offered HTTP/2 by ALPN, say HTTP/1.1 (a JDK client otherwise waits for an answer that never comes)
          .setUseAlpn(true).setAlpnVersions(java.util.List.of(io.vertx.core.http.HttpVersion.HTTP_1_1));
    }
    // the tokens file is read again when it changes; break-glass uses wait for the journal
    reloadTimer = vertx.setPeriodic(2_000, id -> vertx.executeBlocking(() -> {
      p.tokens().reloadIfChanged();
      p.breakGlass().journalPending();
      p.periodic().run();
      return null;
    }, false));
    return vertx.createHttpServer(options).requestHandler(router).listen(listen.port(), listen.host())
        .onSuccess(s -> server = s);
  }

  Router router() {
    Router router = Router.router(vertx);
    open(router, "/health", "health", ctx -> json(ctx, 200, MAPPER.createObjectNode().put("status", "UP")));
    open(router, "/ready", "ready", ctx -> json(ctx, p.view().ready() ? 200 : 503, p.view().readiness()));
    open(router, "/metrics", "metrics", ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(p.view().metrics()));
    p.breakGlass().mount(router, p.gate(), p.refusals());
    router.route("/v1/*").handler(p.gate().authenticate());
    router.get("/v1/status").handler(p.gate().require(Role.VIEWER)).handler(this::status);
    router.get("/v1/events").handler(p.gate().require(Role.VIEWER)).handler(this::events);
    router.get("/v1/controllers").handler(p.gate().require(Role.VIEWER))
        .handler(ctx -> json(ctx, 200, p.view().controllers()));
    router.get("/v1/audit").handler(p.gate().require(Role.VIEWER)).handler(this::audit);
    router.get("/v1/tokens").handler(p.gate().require(Role.ADMIN)).handler(this::tokens);
    p.admin().mount(router);
    p.extra().accept(router);
    router.route().last().handler(ctx -> json(ctx, 404, MAPPER.createObjectNode()
        .put("error", "no such resource: " + ctx.request().method() + " " + ctx.request().path())));
    router.route().failureHandler(this::failed);
    return router;
  }

  /** A route open to anyone when {@code api.open} lists it, else to viewers. */
  private void open(Router router, String path, String name, Handler<RoutingContext> handler) {
    if (config.open().contains(name)) {
      router.get(path).handler(handler);
    } else {
      router.get(path).handler(p.gate().authenticate()).handler(p.gate().require(Role.VIEWER)).handler(handler);
    }
  }

  private void failed(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status == 413) {
      p.refusals().refuse(ctx, 413, "too-large", "the body is larger than " + config.bodyLimit() + " bytes");
    } else if (status < 500) {
      p.refusals().refuse(ctx, status, "bad-request", ctx.failure() == null ? "bad request"
          : ctx.failure().getMessage());
    } else {
      json(ctx, 500, MAPPER.createObjectNode().put("error", "internal error" + (ctx.failure() == null ? ""
          : ": " + ctx.failure().getClass().getSimpleName())));
    }
  }

  /**
   * The API of one controller, assembled from the config: tokens, limits, break-glass, audit.
   *
   * @param stateDir this controller's own directory (break-glass uses are kept there)
   * @param signingKey the controllers' private key (signed audit truncations), or null
   */
  public static ControllerApi create(Vertx vertx, PharosConfig config, ControllerPeer self, Path stateDir,
      Clock clock, ControllerView view, Operations ops, Journal journal, ControllerMetrics metrics,
      PrivateKey signingKey, Consumer<Router> extra) {
    ApiConfig api = config.api();
    TokenStore tokens = new TokenStore(api.tokensFile() == null ? null : Path.of(api.tokensFile()), metrics.errors());
    Refusals refusals = new Refusals(metrics.registry(), clock);
    PeerLink peers = new PeerLink(config.controllers().peers(), api);
    Set<String> ids = config.controllers().peers().stream().map(ControllerPeer::id).collect(Collectors.toSet());
    BreakGlass breakGlass = new BreakGlass(self.id(), vertx, clock, api.breakGlassFile() == null ? null
        : Path.of(api.breakGlassFile()), stateDir, api.breakGlassGrant(), api.perToken(), journal, ids, peers,
        metrics.errors());
    // addresses and tokens seen: at most 10,000 each (the least recently used go first)
    ApiGate gate = new ApiGate(vertx, api, tokens, breakGlass, new RateLimiter(clock, 10_000),
        new RateLimiter(clock, 10_000), refusals);
    AuditRecorder audit = new AuditRecorder(self.id(), clock, journal, api.auditRetain(), signingKey, metrics.errors());
    AdminApi admin = new AdminApi(vertx, ops,
        new io.pharos.controller.ingest.KeyRotations(config, self.id(), clock, journal), gate, refusals, audit, journal, peers::apiUrl, api.bodyLimit());
    return new ControllerApi(vertx, self.api(), api, self.id(), new Parts(view, gate, refusals, admin, breakGlass,
        tokens, () -> journal.state().audit(), audit::retryWaiting, extra));
  }

  /** The gate of this API (for routes another part mounts through {@code extra}). */
  public ApiGate gate() {
    return p.gate();
  }

  /** Refused calls counted so far (for tests and status). */
  public Refusals refusals() {
    return p.refusals();
  }

  public int port() {
    return server.actualPort();
  }

  private void status(RoutingContext ctx) {
    ObjectNode s = p.view().status();
    ObjectNode refused = s.putObject("apiRefused");
    p.refusals().all().forEach(refused::put);
    json(ctx, 200, s);
  }

  private void events(RoutingContext ctx) {
    long since;
    try {
      String s = ctx.request().getParam("since");
      since = s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      p.refusals().refuse(ctx, 400, "bad-request", "since must be epoch milliseconds");
      return;
    }
    StringBuilder out = new StringBuilder();
    for (PharosEvent e : p.view().events(since)) {
      try {
        out.append(MAPPER.writeValueAsString(e)).append('\n');
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    ctx.response().putHeader("content-type", "application/x-ndjson").end(out.toString());
  }

  /** The audit chain as this controller holds it: its anchor, if any, then its records (JSON lines). */
  private void audit(RoutingContext ctx) {
    StringBuilder out = new StringBuilder();
    AuditChain.export(p.audit().get()).forEach(l -> out.append(l).append('\n'));
    ctx.response().putHeader("content-type", "application/x-ndjson").end(out.toString());
  }

  private void tokens(RoutingContext ctx) {
    var list = MAPPER.createArrayNode();
    for (TokenFile.Entry e : p.tokens().list()) {
      list.addObject().put("name", e.name()).put("role", e.role().label())
          .put("perMinute", e.perMinute() != null ? e.perMinute() : config.perToken())
          .put("iterations", e.hash().iterations());
    }
    json(ctx, 200, MAPPER.createObjectNode().set("tokens", list));
  }

  private static void json(RoutingContext ctx, int status, ObjectNode body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
  }

  public Future<Void> stop() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
