package io.pharos.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.ingest.KeyRotations;
import io.pharos.core.config.Durations;
import io.pharos.core.journal.NotLeaderException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/keys/<region>/rotate} with {@code {"by": ..., "reason": ..., "grace": "24h"}}
 * ({@code grace} optional, default {@code security.previousKeyGrace}; {@code "0s"} ends the old
 * key at once): journals the next key generation of that region. Role: <b>admin</b> (DESIGN.md "Who
 * may call what": key rotation). The caller's check runs first ({@code admit} answers 401/403
 * itself). The answer names the new generation and the command that prints its key.
 */
public final class KeyRotationApi {
  /** The role this endpoint needs. */
  public static final String ROLE = "admin";
  private static final Logger LOG = LoggerFactory.getLogger(KeyRotationApi.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KeyRotations rotations;
  private final Predicate<RoutingContext> admit;

  /**
   * @param admit whether the caller may rotate keys ({@link #ROLE}); when not, it has answered
   *     the request itself
   */
  public KeyRotationApi(KeyRotations rotations, Predicate<RoutingContext> admit) {
    this.rotations = rotations;
    this.admit = admit;
  }

  /** Mounts the route; a body handler for {@code POST /v1/*} must be mounted before. */
  public void mount(Router router) {
    router.post("/v1/keys/:region/rotate").handler(this::rotate);
  }

  private void rotate(RoutingContext ctx) {
    if (!admit.test(ctx)) {
      return;
    }
    String region = ctx.pathParam("region");
    KeyRotations.Planned plan;
    String by;
    String reason;
    try {
      JsonNode body = MAPPER.readTree(ctx.body().asString() == null ? "{}" : ctx.body().asString());
      if (body == null || !body.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      by = AdminApi.text(body, "by");
      reason = AdminApi.text(body, "reason");
      plan = rotations.plan(region, grace(body));
    } catch (NotLeaderException e) {
      AdminApi.error(ctx, 409, e.getMessage());
      return;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      AdminApi.error(ctx, 400, "bad JSON: " + e.getOriginalMessage());
      return;
    } catch (IllegalArgumentException e) {
      AdminApi.error(ctx, 400, e.getMessage());
      return;
    }
    rotations.rotate(plan, by, reason).whenComplete((p, err) -> {
      if (err != null) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err;
        if (t instanceof NotLeaderException) {
          AdminApi.error(ctx, 409, t.getMessage());
        } else {
          LOG.error("key rotation of region {} failed", region, t);
          AdminApi.error(ctx, 500, "internal error: " + t.getClass().getSimpleName());
        }
      } else if (!p.accepted()) {
        AdminApi.error(ctx, 409, "refused by the journal: " + p.detail());
      } else {
        LOG.warn("{} rotated the report key of region {} to generation {}: {}", by, region, plan.generation(),
            reason);
        ObjectNode ok = MAPPER.createObjectNode().put("committed", true).put("token", p.term() + ":" + p.index())
            .put("region", region).put("generation", plan.generation())
            .put("previousValidUntil", Instant.ofEpochMilli(plan.previousValidUntil()).toString())
            .put("derive", "pharos keys derive --region " + region + " --generation " + plan.generation());
        AdminApi.json(ctx, 200, ok);
      }
    });
  }

  private static Duration grace(JsonNode body) {
    JsonNode v = body.get("grace");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field 'grace' must be a duration such as \"24h\" or \"0s\"");
    }
    try {
      return Durations.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field 'grace': " + e.getMessage());
    }
  }
}
