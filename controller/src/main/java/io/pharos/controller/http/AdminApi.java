package io.pharos.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.failover.Operations;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator calls: {@code POST /v1/ack}, {@code /v1/automation/pause|resume},
 * {@code /v1/regions/<r>/failover|failback|evacuate|evacuate/abort},
 * {@code /v1/decisions/<id>/abort|approve|reject}. Every call needs the bearer token from
 * {@code PHAROS_ADMIN_TOKEN} (when it is not set, operator calls are disabled), a JSON body with
 * {@code by} and {@code reason}, and must reach the acting leader (others answer 409 naming it).
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx;
  private final Operations ops;
  private final byte[] token;

  public AdminApi(Vertx vertx, Operations ops, String token) {
    this.vertx = vertx;
    this.ops = ops;
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public void mount(Router router) {
    router.post("/v1/*").handler(BodyHandler.create().setBodyLimit(16_384));
    router.post("/v1/ack").handler(ctx -> call(ctx, b -> ops.acknowledge(text(b, "what"), text(b, "by"))));
    router.post("/v1/automation/pause").handler(ctx -> call(ctx,
        b -> ops.pause(text(b, "by"), text(b, "reason"), b.path("until").asLong(0))));
    router.post("/v1/automation/resume").handler(ctx -> call(ctx, b -> ops.resume(text(b, "by"))));
    router.post("/v1/controllers/members").handler(ctx -> call(ctx, b -> ops.setMembers(members(b), text(b, "by"),
        text(b, "reason"))));
    router.post("/v1/decisions/:id/abort").handler(ctx -> call(ctx,
        b -> ops.abort(ctx.pathParam("id"), text(b, "by"), text(b, "reason"))));
    router.post("/v1/decisions/:id/approve").handler(ctx -> call(ctx,
        b -> ops.approve(ctx.pathParam("id"), text(b, "by"), text(b, "reason"))));
    router.post("/v1/decisions/:id/reject").handler(ctx -> call(ctx,
        b -> ops.reject(ctx.pathParam("id"), text(b, "by"), text(b, "reason"))));
    router.post("/v1/regions/:region/failover").handler(ctx -> call(ctx,
        b -> ops.failover(ctx.pathParam("region"), text(b, "by"), text(b, "reason"))));
    router.post("/v1/regions/:region/evacuate").handler(ctx -> call(ctx,
        b -> ops.evacuate(ctx.pathParam("region"), steps(b), hold(b), text(b, "by"), text(b, "reason"))));
    router.post("/v1/regions/:region/evacuate/abort").handler(ctx -> call(ctx,
        b -> ops.abortEvacuation(ctx.pathParam("region"), text(b, "by"), text(b, "reason"))));
    router.post("/v1/regions/:region/failback").handler(ctx -> call(ctx,
        b -> ops.failback(ctx.pathParam("region"), b.path("force").asBoolean(false), text(b, "by"),
            text(b, "reason"))));
  }

  private void call(RoutingContext ctx, Function<JsonNode, CompletableFuture<Proposal>> op) {
    if (token == null) {
      error(ctx, 403, "operator calls are disabled: start the controller with PHAROS_ADMIN_TOKEN set");
      return;
    }
    String auth = ctx.request().getHeader("Authorization");
    byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8)
        : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      error(ctx, 401, "missing or wrong bearer token");
      return;
    }
    JsonNode body;
    try {
      String raw = ctx.body().asString();
      body = raw == null || raw.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(raw);
      if (!body.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
    } catch (Exception e) {
      error(ctx, 400, "bad JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    vertx.<CompletableFuture<Proposal>>executeBlocking(() -> op.apply(body)).onComplete(started -> {
      if (started.failed()) {
        fail(ctx, started.cause());
        return;
      }
      started.result().whenComplete((p, err) -> {
        if (err != null) {
          fail(ctx, err);
        } else if (!p.accepted()) {
          error(ctx, 409, "refused by the journal: " + p.detail());
        } else {
          LOG.warn("operator {} {}: committed at {}:{}", body.path("by").asText(), ctx.request().path(), p.term(),
              p.index());
          ObjectNode ok = MAPPER.createObjectNode().put("committed", true).put("token", p.term() + ":" + p.index());
          json(ctx, 200, ok);
        }
      });
    });
  }

  private void fail(RoutingContext ctx, Throwable err) {
    Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
    if (t instanceof ManualDecisions.Refused || t instanceof IllegalArgumentException) {
      error(ctx, 400, t.getMessage());
    } else if (t instanceof NotLeaderException) {
      error(ctx, 409, t.getMessage());
    } else {
      LOG.error("operator call {} failed", ctx.request().path(), t);
      error(ctx, 500, "internal error: " + t.getClass().getSimpleName());
    }
  }

  /** {@code {"members":[{"id":"c1","raft":"host:port"}, ...]}}; other addresses are not used by Raft. */
  private static java.util.List<io.pharos.core.config.ControllerPeer> members(JsonNode body) {
    JsonNode list = body.get("members");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("field 'members' is required: a list of {\"id\", \"raft\"}");
    }
    java.util.List<io.pharos.core.config.ControllerPeer> out = new java.util.ArrayList<>();
    for (JsonNode m : list) {
      io.pharos.core.config.HostPort raft = io.pharos.core.config.HostPort.parse(text(m, "raft"));
      out.add(new io.pharos.core.config.ControllerPeer(text(m, "id"), m.path("region").asText(""), raft, raft, raft,
          raft));
    }
    return out;
  }

  /** Optional {@code "steps": [75, 50, 0]} (or {@code "75,50,0"}); null when absent. */
  private static java.util.List<Integer> steps(JsonNode body) {
    JsonNode v = body.get("steps");
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return io.pharos.core.decision.EvacuationPlan.parseSteps(v.asText());
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("field 'steps' must be a list of percentages, e.g. [75, 50, 0]");
    }
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (JsonNode n : v) {
      if (!n.isInt()) {
        throw new IllegalArgumentException("field 'steps' must hold whole percentages, found " + n);
      }
      out.add(n.asInt());
    }
    return out;
  }

  /** Optional {@code "hold": "10s"}; null when absent. */
  private static java.time.Duration hold(JsonNode body) {
    JsonNode v = body.get("hold");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field 'hold' must be a duration such as \"30s\" or \"2m\"");
    }
    try {
      return io.pharos.core.config.Durations.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field 'hold': " + e.getMessage());
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("field '" + field + "' is required (a non-empty string)");
    }
    return v.asText();
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, MAPPER.createObjectNode().put("error", message));
  }

  private static void json(RoutingContext ctx, int status, ObjectNode body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
  }
}
