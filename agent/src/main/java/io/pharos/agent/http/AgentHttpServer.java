package io.pharos.agent.http;

import io.pharos.agent.AgentStatus;
import io.pharos.agent.mode.ModeView;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.Observation;
import io.pharos.core.wire.ModeCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The agent's HTTP face: {@code GET /v1/mode} for applications, {@code /health} and {@code /ready}
 * for Kubernetes, {@code /v1/status} for people, {@code /metrics} for Prometheus (text exposition;
 * docs/metrics.md). Everything else answers JSON, errors included.
 */
public final class AgentHttpServer {
  private final Vertx vertx;
  private final HostPort listen;
  private final Supplier<ModeView> mode;
  private final Supplier<AgentStatus> status;
  private final Supplier<String> metrics;
  private HttpServer server;

  /** @param metrics the Prometheus text exposition now */
  public AgentHttpServer(Vertx vertx, HostPort listen, Supplier<ModeView> mode, Supplier<AgentStatus> status,
      Supplier<String> metrics) {
    this.vertx = vertx;
    this.listen = listen;
    this.mode = mode;
    this.status = status;
    this.metrics = metrics;
  }

  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.get("/v1/mode").handler(rc -> json(rc, 200, modeJson(mode.get())));
    router.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/v1/status").handler(rc -> json(rc, 200, statusJson(status.get())));
    router.get("/metrics").handler(rc -> rc.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(metrics.get()));
    router.errorHandler(404, rc -> json(rc, 404, error("not found", rc)));
    router.errorHandler(405, rc -> json(rc, 405, error("method not allowed", rc)));
    router.errorHandler(500, rc -> json(rc, 500, error("internal error", rc)));
    return vertx.createHttpServer(new HttpServerOptions().setHost(listen.host()).setPort(listen.port()))
        .requestHandler(router)
        .listen()
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * The mode with its evidence: {@code record} is the controllers' signed record the answer rests
   * on, exactly as signed, so that an application can check it itself (docs/security/mode-records.md);
   * {@code keyId} and {@code signature} repeat its signature fields.
   */
  static JsonObject modeJson(ModeView v) {
    JsonObject json = new JsonObject()
        .put("region", v.region())
        .put("mode", v.mode().label())
        .put("token", v.token().toString())
        .put("reason", v.reason())
        .put("leaseRemainingMillis", v.leaseRemainingMillis())
        .put("selfFenced", v.selfFenced());
    if (v.record() != null) {
      json.put("keyId", v.record().keyId())
          .put("signature", v.record().signatureBase64())
          .put("record", new JsonObject(ModeCodec.encode(v.record())));
    }
    return json;
  }

  private void ready(RoutingContext rc) {
    AgentStatus s = status.get();
    JsonObject checks = new JsonObject()
        .put("probes", new JsonObject().put("ok", s.firstRoundDone())
            .put("detail", s.probedOnce() + "/" + s.targets() + " endpoints probed"))
        .put("controllers", new JsonObject().put("ok", s.transport().connected())
            .put("detail", s.transport().connected() ? "connected" : "not connected"));
    JsonObject body = new JsonObject()
        .put("status", s.ready() ? "UP" : "DOWN")
        .put("checks", checks)
        .put("version", s.version())
        .put("uptimeMillis", s.uptimeMillis());
    json(rc, s.ready() ? 200 : 503, body);
  }

  static JsonObject statusJson(AgentStatus s) {
    JsonArray endpoints = new JsonArray();
    for (Observation o : s.lastResults()) {
      endpoints.add(new JsonObject()
          .put("region", o.targetRegion())
          .put("endpoint", o.endpointId())
          .put("ok", o.ok())
          .put("failure", o.failure().name())
          .put("status", o.status())
          .put("latencyMicros", o.latencyMicros())
          .put("at", o.at()));
    }
    return new JsonObject()
        .put("agentId", s.agentId())
        .put("region", s.region())
        .put("version", s.version())
        .put("uptimeMillis", s.uptimeMillis())
        .put("probes", new JsonObject().put("run", s.probesRun()).put("skipped", s.probesSkipped())
            .put("targets", s.targets())
            .put("probedOnce", s.probedOnce()))
        .put("reports", new JsonObject()
            .put("built", s.reportsBuilt())
            .put("edgeTriggered", s.edgeReports())
            .put("sent", s.transport().sent())
            .put("buffered", s.transport().buffered())
            .put("dropped", s.transport().dropped())
            .put("publishFailures", s.transport().publishFailures())
            .put("copiesSent", s.transport().copiesSent())
            .put("pathRepicks", s.transport().pathRepicks())
            .put("paths", new JsonArray(s.transport().paths())))
        .put("connected", s.transport().connected())
        .put("mode", new JsonObject().put("ignoredOlderTokens", s.modeRecordsIgnored())
            .put("malformed", s.modeRecordsMalformed()).put("rejectedNotSigned", s.modeRecordsRejected())
            .put("takenFromOlderTerm", s.modeRecordsFromOlderTerm()))
        .put("endpoints", endpoints);
  }

  private static JsonObject error(String message, RoutingContext rc) {
    return new JsonObject().put("error", message).put("method", rc.request().method().name())
        .put("path", rc.request().path());
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
