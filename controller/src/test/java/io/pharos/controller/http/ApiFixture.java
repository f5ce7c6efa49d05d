package io.pharos.controller.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.failover.FailoverFixture;
import io.pharos.controller.failover.Operations;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.api.RecoveryCodes;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.model.PharosEvent;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.Pbkdf2;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One controller's API over an in-memory journal this controller leads (no Raft, no Hazelcast):
 * throwaway tokens per role (test-only, not secrets), break-glass codes, the controllers' key.
 */
final class ApiFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  final FailoverFixture f;
  final Vertx vertx = Vertx.vertx();
  final Path tokensFile;
  final TokenFile.Issued viewer = issue("ops-viewer", Role.VIEWER, null);
  final TokenFile.Issued operator = issue("ops-alice", Role.OPERATOR, null);
  final TokenFile.Issued admin = issue("ops-root", Role.ADMIN, null);
  final TokenFile.Issued slow = issue("ops-slow", Role.OPERATOR, 3);
  final RecoveryCodes.Generated codes = RecoveryCodes.generate(2, Pbkdf2.MIN_ITERATIONS, RANDOM);
  final KeyPair keys = Ed25519.generate();
  final ControllerApi api;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** The status page, when the fixture mounts one. */
  final io.pharos.controller.status.StatusPage statusPage;

  ApiFixture(Path dir, ApiConfig base) throws Exception {
    this(dir, base, null);
  }

  /** With the status page mounted on the API, its config set (null: no status page). */
  ApiFixture(Path dir, ApiConfig base, io.pharos.core.config.StatusPageConfig statusPage) throws Exception {
    f = new FailoverFixture(dir);
    tokensFile = dir.resolve("tokens");
    Files.write(tokensFile, List.of("# test-only tokens, not secrets", viewer.line(), operator.line(), admin.line(),
        slow.line()));
    Path codeFile = dir.resolve("codes");
    Files.write(codeFile, codes.lines());
    ApiConfig api = new ApiConfig(tokensFile.toString(), base.open(), base.tls(), base.failedAuthPerIp(),
        base.perToken(), base.bodyLimit(), base.auditRetain(), codeFile.toString(), base.breakGlassGrant());
    PharosConfig c = f.config;
    ControllerPeer self = c.controllers().peers().get(0);
    List<ControllerPeer> peers = List.of(self, peer("c2", 20), peer("c3", 30));
    var cc = c.controllers();
    PharosConfig config = new PharosConfig(c.environment(), c.regions(), c.dns(),
        new io.pharos.core.config.ControllersConfig(cc.group(), peers, cc.storageDir(), cc.electionTimeoutMin(),
            cc.electionTimeoutMax()), c.probes(), c.policy(), c.security(), c.controllerKeys(), api, c.webhooks(), statusPage, c.alerts());
    ControllerPeer local = new ControllerPeer(self.id(), self.region(), self.raft(), self.hazelcast(),
        io.pharos.core.config.HostPort.parse("127.0.0.1:0"), self.dns());
    Operations ops = new Operations(config, self.id(), f.clock, f.journal, f.journal, f.embeddedExecutor(), () -> null);
    this.statusPage = statusPage == null ? null
        : new io.pharos.controller.status.StatusPage(config, f.journal, () -> null, f.clock, f.metrics.errors());
    this.api = ControllerApi.create(vertx, config, local, dir.resolve("state"), f.clock, new View(f.metrics), ops, f.journal,
        f.metrics, keys.getPrivate(), this.statusPage == null ? router -> { } : this.statusPage::mount);
    if (this.statusPage != null) {
      this.statusPage.guardWith(this.api.gate());
    }
    this.api.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (this.statusPage != null) {
      this.statusPage.start(vertx);
    }
  }

  private static ControllerPeer peer(String id, int base) {
    io.pharos.core.config.HostPort hp = io.pharos.core.config.HostPort.parse("127.0.0.1:" + base);
    return new ControllerPeer(id, "a", hp, io.pharos.core.config.HostPort.parse("127.0.0.1:" + (base + 1)),
        io.pharos.core.config.HostPort.parse("127.0.0.1:" + (base + 2)),
        io.pharos.core.config.HostPort.parse("127.0.0.1:" + (base + 3)));
  }

  static ApiConfig defaults() {
    return ApiConfig.defaults();
  }

  private static TokenFile.Issued issue(String name, Role role, Integer limit) {
    return TokenFile.issue(name, role, limit, Pbkdf2.MIN_ITERATIONS, RANDOM);
  }

  String url(String path) {
    return "http://127.0.0.1:" + api.port() + path;
  }

  int port() {
    return api.port();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    if (statusPage != null) {
      statusPage.stop();
    }
    api.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    f.close();
  }

  /** What the view serves does not matter here: who may read it does. */
  private static final class View implements ControllerView {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final io.pharos.controller.metrics.ControllerMetrics metrics;

    View(io.pharos.controller.metrics.ControllerMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public ObjectNode status() {
      return MAPPER.createObjectNode().put("controller", "c1");
    }

    @Override
    public List<PharosEvent> events(long sinceMillis) {
      return List.of();
    }

    @Override
    public ObjectNode readiness() {
      return MAPPER.createObjectNode().put("ready", true);
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public ObjectNode controllers() {
      return MAPPER.createObjectNode().put("controller", "c1");
    }

    @Override
    public String metrics() {
      return metrics.scrape();
    }
  }
}
