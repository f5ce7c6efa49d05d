package io.pharos.controller.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.PharosEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The controller's HTTP surface: {@code /health}, {@code /ready}, {@code /v1/status},
 * {@code /v1/events} (JSON lines) and {@code /metrics} (Prometheus).
 */
public final class ControllerApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Vertx vertx;
  private final HostPort listen;
  private final ControllerView view;
  private final AdminApi admin;
  private HttpServer server;

  public ControllerApi(Vertx vertx, HostPort listen, ControllerView view, AdminApi admin) {
    this.vertx = vertx;
    this.listen = listen;
    this.view = view;
    this.admin = admin;
  }

  public Future<HttpServer> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> json(ctx, 200, MAPPER.createObjectNode().put("status", "UP")));
    router.get("/ready").handler(ctx -> json(ctx, view.ready() ? 200 : 503, view.readiness()));
    router.get("/v1/status").handler(ctx -> json(ctx, 200, view.status()));
    router.get("/v1/events").handler(this::events);
    router.get("/v1/controllers").handler(ctx -> json(ctx, 200, view.controllers()));
    admin.mount(router);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(view.metrics()));
    router.route().last().handler(ctx -> json(ctx, 404, MAPPER.createObjectNode()
        .put("error", "no such resource: " + ctx.request().method() + " " + ctx.request().path())));
    return vertx.createHttpServer().requestHandler(router).listen(listen.port(), listen.host())
        .onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }

  private void events(RoutingContext ctx) {
    long since;
    try {
      String s = ctx.request().getParam("since");
      since = s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      json(ctx, 400, MAPPER.createObjectNode().put("error", "since must be epoch milliseconds"));
      return;
    }
    StringBuilder out = new StringBuilder();
    for (PharosEvent e : view.events(since)) {
      try {
        out.append(MAPPER.writeValueAsString(e)).append('\n');
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    ctx.response().putHeader("content-type", "application/x-ndjson").end(out.toString());
  }

  private static void json(RoutingContext ctx, int status, ObjectNode body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
