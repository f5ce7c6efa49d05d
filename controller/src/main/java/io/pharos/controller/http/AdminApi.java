package io.pharos.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.Failures;
import io.pharos.controller.failover.Operations;
import io.pharos.controller.ingest.KeyRotations;
import io.pharos.controller.http.audit.AuditRecorder;
import io.pharos.controller.http.auth.ApiGate;
import io.pharos.controller.http.auth.Caller;
import io.pharos.controller.http.auth.Refusals;
import io.pharos.core.api.Role;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.decision.ManualDecisions;
import io.pharos.core.journal.Leadership;
import io.pharos.core.journal.NotLeaderException;
import io.pharos.core.journal.Proposal;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls that change something, each with the role it needs (DESIGN.md "Who may call what"):
 * operator — {@code POST /v1/ack}, {@code /v1/automation/pause|resume},
 * {@code /v1/regions/<r>/failover|failback|evacuate|evacuate/abort},
 * {@code /v1/decisions/<id>/abort|approve|reject}, {@code /v1/regions/<r>/readonly},
 * {@code /v1/maintenance} (announce), {@code /v1/maintenance/<id>/cancel}; admin —
 * {@code /v1/controllers/members}, {@code /v1/keys/<region>/rotate}, {@code /v1/regions/<r>/promote}.
 *
 * <p>Every call is authenticated first (by {@link ApiGate}, before its body is read), then takes a
 * JSON body of at most {@code api.bodyLimit} bytes, no uploads, with a {@code reason} and only the
 * fields the call knows (400 naming what is wrong). Who asked is the token's name. Only the acting
 * leader answers (others say 409 and name the leader's API in {@code leaderApi}); its answer —
 * committed, refused or failed — goes into the audit chain with who, what, why and the term.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final int MAX_REASON = 1_000;

  private final Vertx vertx;
  private final Operations ops;
  private final ApiGate gate;
  private final Refusals refusals;
  private final AuditRecorder audit;
  private final Leadership leadership;
  private final Function<String, Optional<String>> apiUrl;
  private final int bodyLimit;
  private final KeyRotations keys;
  /** Fields a call adds to its answer when it committed (routing-context key). */
  private static final String ANSWER = "pharos.answer";

  /** A call with its input checked, ready to run on the acting leader as {@code by}, for {@code reason}. */
  private interface Checked {
    CompletableFuture<Proposal> run(String by, String reason);
  }

  /** Reads a call's input; an {@link IllegalArgumentException} is a 400 before anything ran. */
  private interface Route {
    Checked check(RoutingContext ctx, JsonNode body);
  }

  /**
   * @param apiUrl a controller id to its API's base URL (the leader hint of a 409)
   */
  public AdminApi(Vertx vertx, Operations ops, KeyRotations keys, ApiGate gate, Refusals refusals, AuditRecorder audit,
      Leadership leadership, Function<String, Optional<String>> apiUrl, int bodyLimit) {
    this.vertx = vertx;
    this.ops = ops;
    this.gate = gate;
    this.refusals = refusals;
    this.audit = audit;
    this.leadership = leadership;
    this.apiUrl = apiUrl;
    this.bodyLimit = bodyLimit;
    this.keys = keys;
  }

  /** Mounts the calls; authentication ({@link ApiGate#authenticate()}) must already be on {@code /v1/*}. */
  public void mount(Router router) {
    post(router, "/v1/ack", Role.OPERATOR, Set.of("what"), (ctx, b) -> {
      String what = CallBody.text(b, "what");
      return (by, reason) -> ops.acknowledge(what, by);
    });
    post(router, "/v1/automation/pause", Role.OPERATOR, Set.of("until"), (ctx, b) -> {
      long until = b.path("until").asLong(0);
      return (by, reason) -> ops.pause(by, reason, until);
    });
    post(router, "/v1/automation/resume", Role.OPERATOR, Set.of(), (ctx, b) -> (by, reason) -> ops.resume(by));
    post(router, "/v1/decisions/:id/abort", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.abort(ctx.pathParam("id"), by, reason));
    post(router, "/v1/decisions/:id/approve", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.approve(ctx.pathParam("id"), by, reason));
    post(router, "/v1/decisions/:id/reject", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.reject(ctx.pathParam("id"), by, reason));
    post(router, "/v1/regions/:region/failover", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.failover(ctx.pathParam("region"), by, reason));
    post(router, "/v1/regions/:region/evacuate", Role.OPERATOR, Set.of("steps", "hold"), (ctx, b) -> {
      List<Integer> steps = CallBody.steps(b);
      Duration hold = CallBody.hold(b);
      return (by, reason) -> ops.evacuate(ctx.pathParam("region"), steps, hold, by, reason);
    });
    post(router, "/v1/regions/:region/evacuate/abort", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.abortEvacuation(ctx.pathParam("region"), by, reason));
    post(router, "/v1/regions/:region/failback", Role.OPERATOR, Set.of("force"), (ctx, b) -> {
      boolean force = b.path("force").asBoolean(false);
      return (by, reason) -> ops.failback(ctx.pathParam("region"), force, by, reason);
    });
    // {"on": true} read-only, {"on": false} read-write (the write primary only by promote)
    post(router, "/v1/regions/:region/readonly", Role.OPERATOR, Set.of("on"), (ctx, b) -> {
      JsonNode on = b.get("on");
      if (on == null || !on.isBoolean()) {
        throw new IllegalArgumentException("field 'on' is required: true (read-only) or false (read-write)");
      }
      return (by, reason) -> ops.readOnly(ctx.pathParam("region"), on.asBoolean(), by, reason);
    });
    // {"force": true} promotes even when the replication lag exceeds the RPO or cannot be read
    post(router, "/v1/regions/:region/promote", Role.ADMIN, Set.of("force"), (ctx, b) -> {
      JsonNode force = b.get("force");
      if (force != null && !force.isBoolean()) {
        throw new IllegalArgumentException("field 'force' must be true or false");
      }
      boolean forced = force != null && force.asBoolean();
      return (by, reason) -> ops.promote(ctx.pathParam("region"), forced, by, reason);
    });
    post(router, "/v1/controllers/members", Role.ADMIN, Set.of("members"), (ctx, b) -> {
      List<ControllerPeer> members = CallBody.members(b);
      return (by, reason) -> ops.setMembers(members, by, reason);
    });
    // the status page's announced maintenance: {"regions": [...], "startsAt": ISO-8601, "endsAt": ISO-8601, "title"}
    post(router, "/v1/maintenance", Role.OPERATOR, Set.of("regions", "startsAt", "endsAt", "title"), (ctx, b) -> {
      List<String> regions = new ArrayList<>();
      b.path("regions").forEach(r -> regions.add(r.asText()));
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("field 'regions' is required (a list of region names)");
      }
      long startsAt = CallBody.instant(b, "startsAt");
      long endsAt = CallBody.instant(b, "endsAt");
      String title = CallBody.text(b, "title");
      if (title.length() > 200) {
        throw new IllegalArgumentException("field 'title' is at most 200 characters, was " + title.length());
      }
      return (by, reason) -> ops.scheduleMaintenance(regions, startsAt, endsAt, title, by, reason);
    });
    post(router, "/v1/maintenance/:id/cancel", Role.OPERATOR, Set.of(),
        (ctx, b) -> (by, reason) -> ops.cancelMaintenance(ctx.pathParam("id"), by, reason));
    // {"grace": "24h"} optional (default security.previousKeyGrace; "0s" ends the old key at once)
    post(router, "/v1/keys/:region/rotate", Role.ADMIN, Set.of("grace"), (ctx, b) -> {
      String region = ctx.pathParam("region");
      Duration grace = CallBody.duration(b, "grace", "\"24h\" or \"0s\"");
      return (by, reason) -> {
        KeyRotations.Planned plan = keys.plan(region, grace);
        ctx.put(ANSWER, MAPPER.createObjectNode().put("region", region).put("generation", plan.generation())
            .put("previousValidUntil", java.time.Instant.ofEpochMilli(plan.previousValidUntil()).toString())
            .put("derive", "pharos keys derive --region " + region + " --generation " + plan.generation()));
        return keys.rotate(plan, by, reason);
      };
    });
  }

  private void post(Router router, String path, Role role, Set<String> fields, Route route) {
    Set<String> known = new TreeSet<>(fields);
    known.add("reason");
    // two routes: Vert.x wants a body handler first on its route, and the body is read only after
    // the caller's role and the content type were checked
    router.post(path).handler(gate.require(role)).handler(this::jsonOnly);
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(bodyLimit)).handler(ctx -> call(ctx, known, route));
  }

  private void jsonOnly(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      refusals.refuse(ctx, 415, "content-type", "operator calls take a JSON body (Content-Type: application/json),"
          + " was " + (type == null ? "none" : type));
    } else {
      ctx.next();
    }
  }

  private void call(RoutingContext ctx, Set<String> known, Route route) {
    Caller caller = ApiGate.caller(ctx);
    JsonNode body;
    String reason;
    Checked checked;
    try {
      body = CallBody.parse(ctx);
      Set<String> unknown = new LinkedHashSet<>();
      body.fieldNames().forEachRemaining(f -> {
        if (!known.contains(f)) {
          unknown.add(f);
        }
      });
      if (unknown.contains("by")) {
        throw new IllegalArgumentException("field 'by' is no longer taken: who asks is the token's name ('"
            + caller.name() + "')");
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown
            + "; this call takes " + known);
      }
      reason = CallBody.reason(body);
      checked = route.check(ctx, body);
    } catch (CallBody.BadJson e) {
      refusals.refuse(ctx, 400, "bad-json", e.getMessage());
      return;
    } catch (CallBody.MissingReason e) {
      refusals.refuse(ctx, 400, "no-reason", e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      refusals.refuse(ctx, 400, "bad-request", e.getMessage());
      return;
    }
    String what = ctx.request().method() + " " + ctx.request().path() + CallBody.summary(body);
    vertx.<CompletableFuture<Proposal>>executeBlocking(() -> checked.run(caller.name(), reason), false)
        .onComplete(started -> {
          if (started.failed()) {
            answered(ctx, caller, what, reason, null, started.cause());
          } else {
            started.result().whenComplete((p, err) -> answered(ctx, caller, what, reason, p, err));
          }
        });
  }

  /** Answers the caller, after recording the answer in the audit chain when the acting leader gave it. */
  private void answered(RoutingContext ctx, Caller caller, String what, String reason, Proposal p, Throwable err) {
    Throwable t = Failures.unwrap(err);
    if (t instanceof NotLeaderException) {
      notLeader(ctx, t.getMessage());
      return;
    }
    int status;
    ObjectNode answer = MAPPER.createObjectNode();
    String result;
    if (t instanceof ManualDecisions.Refused || t instanceof IllegalArgumentException) {
      status = 400;
      answer.put("error", t.getMessage());
      result = "refused: " + t.getMessage();
    } else if (t != null) {
      LOG.error("operator call {} by {} failed", what, caller.name(), t);
      status = 500;
      answer.put("error", "internal error: " + t.getClass().getSimpleName());
      result = "failed: " + t.getClass().getSimpleName() + ": " + t.getMessage();
    } else if (!p.accepted()) {
      status = 409;
      answer.put("error", "refused by the journal: " + p.detail());
      result = "refused by the journal: " + p.detail();
    } else {
      status = 200;
      answer.put("committed", true).put("token", p.term() + ":" + p.index());
      ObjectNode extra = ctx.get(ANSWER);
      if (extra != null) {
        answer.setAll(extra);
      }
      result = "committed " + p.term() + ":" + p.index();
      LOG.warn("operator call by {} ({}): {} committed at {}:{}; reason: {}", caller.name(), caller.role().label(),
          what, p.term(), p.index(), reason);
    }
    audit.record(caller, what, reason, result).whenComplete((recorded, e) -> {
      answer.put("audited", Boolean.TRUE.equals(recorded));
      json(ctx, status, answer);
    });
  }

  private void notLeader(RoutingContext ctx, String message) {
    ObjectNode n = MAPPER.createObjectNode().put("error", message);
    leadership.leaderId().ifPresent(l -> {
      n.put("leader", l);
      apiUrl.apply(l).ifPresent(u -> n.put("leaderApi", u));
    });
    json(ctx, 409, n);
  }

  private static void json(RoutingContext ctx, int status, ObjectNode body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
  }
}
