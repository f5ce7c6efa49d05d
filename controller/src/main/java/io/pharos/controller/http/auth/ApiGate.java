package io.pharos.controller.http.auth;

import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.config.ApiConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who may call the API, checked before anything else of a request is read: the bearer token
 * (a named token, or a break-glass session), then the caller's role, then its rate limit.
 *
 * <ul>
 *   <li>No or an unknown token: 401, counted against the calling address; an address with
 *       {@code api.rateLimit.failedAuthPerIp} failures in a minute gets 429 for the rest of it,
 *       whatever it sends, except a token this controller already checked (cheap to accept, so an
 *       operator behind the same address as an attacker keeps working; a guess never is one).</li>
 *   <li>A role below the endpoint's: 403.</li>
 *   <li>More calls than the token's limit a minute: 429. Every answer to an authenticated call
 *       carries {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (seconds).</li>
 * </ul>
 * PBKDF2 runs on a worker thread with the request paused; everything else is cheap.
 */
public final class ApiGate {
  private static final String CALLER = "pharos.caller";
  private final Vertx vertx;
  private final ApiConfig config;
  private final TokenStore tokens;
  private final Sessions sessions;
  private final RateLimiter failures;
  private final RateLimiter calls;
  private final Refusals refusals;

  /** Break-glass sessions, looked up by the session token. */
  public interface Sessions {
    /** The caller a session token stands for, or empty when unknown or expired. */
    Optional<Caller> session(String token);

    /** Whether {@code token} is shaped like a session token at all. */
    boolean isSession(String token);
  }

  public ApiGate(Vertx vertx, ApiConfig config, TokenStore tokens, Sessions sessions, RateLimiter failures,
      RateLimiter calls, Refusals refusals) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.sessions = sessions;
    this.failures = failures;
    this.calls = calls;
    this.refusals = refusals;
  }

  /** The address a call came from (no proxy header is believed). */
  public static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
  }

  /** The caller of an authenticated call. */
  public static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** Authenticates and rate-limits; the route's handlers run only for a known caller within its limit. */
  public Handler<RoutingContext> authenticate() {
    return this::authenticate;
  }

  /** Lets a caller with at least {@code role} on; 403 otherwise. Goes after {@link #authenticate()}. */
  public Handler<RoutingContext> require(Role role) {
    return ctx -> {
      Caller c = caller(ctx);
      if (c == null) {
        refusals.refuse(ctx, 401, "no-token", "this call needs a bearer token");
      } else if (!c.role().allows(role)) {
        refusals.refuse(ctx, 403, "role", "token '" + c.name() + "' is " + c.role().label() + "; "
            + ctx.request().method() + " " + ctx.request().path() + " needs " + role.label());
      } else {
        ctx.next();
      }
    };
  }

  private void authenticate(RoutingContext ctx) {
    String ip = address(ctx);
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
        : null;
    if (token == null || token.isEmpty()) {
      failed(ctx, ip, "no-token", "this call needs a bearer token (Authorization: Bearer <token>; the CLI reads"
          + " PHAROS_TOKEN)");
      return;
    }
    Optional<Caller> session = sessions.isSession(token) ? sessions.session(token) : Optional.empty();
    if (session.isPresent()) {
      admit(ctx, session.get());
      return;
    }
    TokenFile.Presented p = TokenFile.Presented.of(token);
    if (p != null && tokens.known(p.name(), p.secret())) {
      admit(ctx, caller(p.name()));
      return;
    }
    RateLimiter.Outcome budget = failures.peek(ip, config.failedAuthPerIp());
    if (!budget.allowed()) {
      tooMany(ctx, budget, "auth-rate", "too many failed authentications from " + ip + "; try again in "
          + budget.resetSeconds() + " s");
      return;
    }
    if (sessions.isSession(token)) {
      failed(ctx, ip, "unknown-session", "unknown or expired break-glass session");
      return;
    }
    if (p == null) {
      failed(ctx, ip, "bad-token", "not a Pharos API token (pt1.<name>.<secret>)");
      return;
    }
    boolean bodyPending = !ctx.request().isEnded();
    if (bodyPending) {
      ctx.request().pause();
    }
    Future<Boolean> checked = vertx.executeBlocking(() -> tokens.check(p.name(), p.secret()), false);
    checked.onComplete(r -> {
      if (bodyPending && !ctx.request().isEnded()) {
        ctx.request().resume();
      }
      if (r.succeeded() && r.result()) {
        admit(ctx, caller(p.name()));
      } else {
        failed(ctx, ip, "unknown-token", "unknown token or wrong secret");
      }
    });
  }

  /**
   * For a credential checked elsewhere (a break-glass code): answers 429 and returns true when
   * the calling address has used up its failed authentications.
   */
  public boolean refuseIfLocked(RoutingContext ctx) {
    RateLimiter.Outcome budget = failures.peek(address(ctx), config.failedAuthPerIp());
    if (budget.allowed()) {
      return false;
    }
    tooMany(ctx, budget, "auth-rate", "too many failed authentications from " + address(ctx) + "; try again in "
        + budget.resetSeconds() + " s");
    return true;
  }

  /** A credential checked elsewhere was wrong: 401, counted against the calling address. */
  public void failedAuthentication(RoutingContext ctx, String reason, String message) {
    failed(ctx, address(ctx), reason, message);
  }

  private Caller caller(String name) {
    TokenFile.Entry e = tokens.entry(name).orElseThrow();
    return new Caller(name, e.role(), e.perMinute() != null ? e.perMinute() : config.perToken(), false);
  }

  private void admit(RoutingContext ctx, Caller c) {
    RateLimiter.Outcome o = calls.take("token:" + c.name(), c.perMinute());
    headers(ctx.response(), o);
    if (!o.allowed()) {
      tooMany(ctx, o, "token-rate", "token '" + c.name() + "' made more than " + o.limit() + " calls this minute");
      return;
    }
    ctx.put(CALLER, c);
    ctx.next();
  }

  private void failed(RoutingContext ctx, String ip, String reason, String message) {
    RateLimiter.Outcome o = failures.take(ip, config.failedAuthPerIp());
    headers(ctx.response(), o);
    refusals.refuse(ctx, 401, reason, message);
  }

  private void tooMany(RoutingContext ctx, RateLimiter.Outcome o, String reason, String message) {
    headers(ctx.response(), o);
    ctx.response().putHeader("Retry-After", Long.toString(o.resetSeconds()));
    refusals.refuse(ctx, 429, reason, message);
  }

  private static void headers(HttpServerResponse r, RateLimiter.Outcome o) {
    if (!r.headWritten()) {
      r.putHeader("X-RateLimit-Limit", Integer.toString(o.limit()))
          .putHeader("X-RateLimit-Remaining", Integer.toString(o.remaining()))
          .putHeader("X-RateLimit-Reset", Long.toString(o.resetSeconds()));
    }
  }
}
