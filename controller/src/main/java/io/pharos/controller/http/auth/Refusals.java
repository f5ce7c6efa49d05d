package io.pharos.controller.http.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pharos.controller.metrics.LogLimiter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused API calls (401, 403, 413, 415, 429, 400 before anything ran): answered with a JSON
 * reason, counted by status and reason ({@code pharos_api_refused_total}) and logged here, at most
 * one line per address and reason a minute. Never journaled: a refusal costs no Raft write, so
 * unauthenticated traffic cannot load the quorum. Never logs a token or a body.
 */
public final class Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final LogLimiter logs = new LogLimiter(60_000);

  public Refusals(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Answers {@code ctx} with {@code status} and {@code message}, counted under {@code reason}.
   * When the request body was not read (refused before it), the rest of it is read and thrown
   * away, at most {@link #MAX_DISCARD} bytes, and the connection is closed after it: a client
   * still sending gets its answer instead of a reset, and nothing of the body is kept.
   */
  public void refuse(RoutingContext ctx, int status, String reason, String message) {
    count(status, reason);
    String ip = ApiGate.address(ctx);
    long suppressed = logs.shouldLog(ip, status + "|" + reason, clock.millis());
    if (suppressed >= 0) {
      LOG.warn("API call refused: {} {} from {}: {} {} ({}){}", ctx.request().method(), ctx.request().path(), ip,
          status, reason, message, suppressed > 0 ? "; " + suppressed + " more like it not logged" : "");
    }
    if (ctx.response().ended()) {
      return;
    }
    boolean bodyUnread = !ctx.request().isEnded() && (ctx.request().headers().contains("Transfer-Encoding")
        || !"0".equals(java.util.Objects.requireNonNullElse(ctx.request().getHeader("Content-Length"), "0")));
    if (bodyUnread) {
      ctx.response().putHeader("Connection", "close");
      long[] discarded = {0};
      ctx.request().handler(chunk -> {
        discarded[0] += chunk.length();
        if (discarded[0] > MAX_DISCARD) {
          ctx.request().connection().close();
        }
      });
      ctx.request().endHandler(v -> ctx.request().connection().close());
      ctx.request().resume();
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).put("reason", reason).encode());
  }

  /** The most of a refused call's body read (and thrown away) before its connection is cut. */
  static final long MAX_DISCARD = 1_048_576;

  public void count(int status, String reason) {
    counters.computeIfAbsent(status + "|" + reason, k -> Counter.builder("pharos.api.refused")
        .tag("status", Integer.toString(status)).tag("reason", reason)
        .description("API calls refused (never journaled), by status and reason").register(registry)).increment();
  }

  /** How many calls were refused with {@code status} for {@code reason}. */
  public double counted(int status, String reason) {
    Counter c = counters.get(status + "|" + reason);
    return c == null ? 0 : c.count();
  }

  /** Every refusal counted so far, {@code "<status> <reason>"} to count. */
  public Map<String, Double> all() {
    Map<String, Double> out = new java.util.TreeMap<>();
    counters.forEach((k, c) -> out.put(k.replace('|', ' '), c.count()));
    return out;
  }
}
