package io.pharos.controller.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.pharos.controller.http.auth.ApiGate;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.api.Role;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.Incident;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.StatusPruned;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page every controller serves, public by design (DESIGN.md "Who may call what";
 * {@code statusPage.public: false} asks for a viewer token): {@code /status} (HTML for people),
 * {@code /status.json} (the same for machines), {@code /status/events} (server-sent events: a
 * {@code status} event with the JSON whenever the picture changes), {@code /status/incidents/<id>}
 * (an incident in plain words). Each controller renders its own replica of the journal and its own
 * latest verdicts, so the page stays up on any controller, with or without a quorum.
 *
 * <p>It also applies the retention of the history ({@code statusPage.retention}): the acting
 * leader journals a {@link StatusPruned} when something is older.
 */
public final class StatusPage {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Live subscribers at most: a public endpoint must not hold unbounded connections. */
  static final int MAX_SUBSCRIBERS = 1_000;
  static final long TICK_MS = 500;
  static final long HEARTBEAT_MS = 15_000;
  static final long PRUNE_EVERY_MS = 60_000;

  private final PharosConfig config;
  private final Journal journal;
  private final Supplier<Step> latest;
  private final Clock clock;
  private final ErrorCounter errors;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
      StatusPage.class.getClassLoader(), "io.pharos.controller.status.page");
  private final Set<HttpServerResponse> subscribers = ConcurrentHashMap.newKeySet();
  private volatile String lastPicture = "";
  private volatile String lastJson = "{}";
  private volatile ApiGate gate;
  private Vertx vertx;
  private long tickTimer = -1;
  private long heartbeatTimer = -1;
  private long lastPrune;

  public StatusPage(PharosConfig config, Journal journal, Supplier<Step> latest, Clock clock, ErrorCounter errors) {
    this.config = config;
    this.journal = journal;
    this.latest = latest;
    this.clock = clock;
    this.errors = errors;
  }

  /** The picture now. */
  public StatusPageModel model() {
    return StatusPageModels.build(config, journal.state(), latest.get(), clock.millis());
  }

  /** The gate a viewer-only page ({@code statusPage.public: false}) and the incident calls go through. */
  public void guardWith(ApiGate gate) {
    this.gate = gate;
  }

  /**
   * Mounts the page and the viewer's incident calls ({@code GET /v1/incidents},
   * {@code /v1/incidents/<id>?format=json|md|html}); {@code /v1/*} must be authenticated already.
   */
  public void mount(Router router) {
    if (gate == null) {
      throw new IllegalStateException("guardWith(gate) first");
    }
    page(router, "/status", ctx -> html(ctx, 200, render("status/page.jte", Map.of("page", model()))));
    page(router, "/status/live", ctx -> html(ctx, 200, render("status/live.jte", Map.of("page", model()))));
    page(router, "/status.json", ctx -> {
      ctx.response().putHeader("cache-control", "no-cache");
      json(ctx, 200, toJson(model()));
    });
    page(router, "/status/events", this::subscribe);
    page(router, "/status/incidents/:id", ctx -> {
      StatusPageModel m = model();
      Incident inc = journal.state().statusHistory().incident(ctx.pathParam("id"));
      if (inc == null) {
        html(ctx, 404, "<!DOCTYPE html><p>No such incident (it may be older than the history kept).</p>"
            + "<p><a href=\"/status\">status page</a></p>");
        return;
      }
      html(ctx, 200, render("status/incident.jte", Map.of("title", m.title(), "inc",
          StatusPageModels.view(inc, clock.millis()))));
    });
    IncidentsApi.mount(router, gate, journal);
  }

  private void page(Router router, String path, Handler<RoutingContext> handler) {
    if (config.statusPage().publicPage()) {
      router.get(path).handler(ctx -> {
        // public by design: any site may read the machine form
        ctx.response().putHeader("access-control-allow-origin", "*");
        ctx.next();
      }).handler(handler);
    } else {
      router.get(path).handler(gate.authenticate()).handler(gate.require(Role.VIEWER)).handler(handler);
    }
  }

  /** Starts the live updates (every {@value #TICK_MS} ms, sent only on a change) and the retention. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    tickTimer = vertx.setPeriodic(TICK_MS, id -> tick());
    heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> subscribers.forEach(r -> send(r, ": keep-alive\n\n")));
  }

  public void stop() {
    if (vertx != null) {
      vertx.cancelTimer(tickTimer);
      vertx.cancelTimer(heartbeatTimer);
    }
    subscribers.forEach(r -> {
      try {
        r.end();
      } catch (IllegalStateException closed) {
        // already closed by the client
      }
    });
    subscribers.clear();
  }

  private void tick() {
    try {
      StatusPageModel m = model();
      String picture = toJson(m.withoutTime());
      if (!picture.equals(lastPicture)) {
        lastPicture = picture;
        lastJson = toJson(m);
        String event = "event: status\ndata: " + lastJson + "\n\n";
        subscribers.forEach(r -> send(r, event));
      }
      prune();
    } catch (RuntimeException e) {
      errors.record(LOG, "status-page", "building the status page", e);
    }
  }

  /** On the acting leader: journals the retention when the history holds something older. */
  private void prune() {
    long now = clock.millis();
    if (now - lastPrune < PRUNE_EVERY_MS || !journal.isActingLeader()) {
      return;
    }
    lastPrune = now;
    long before = now - config.statusPage().retention().toMillis();
    if (journal.state().statusHistory().hasOlderThan(before)) {
      journal.propose(new StatusPruned(before, journal.term(), now, journal.leaderId().orElse("?")))
          .whenComplete((p, err) -> {
            if (err != null) {
              errors.record(LOG, "status-prune", "pruning the status history before " + before, err);
            }
          });
    }
  }

  private void subscribe(RoutingContext ctx) {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      json(ctx, 503, "{\"error\":\"too many live subscribers; poll /status.json instead\"}");
      return;
    }
    HttpServerResponse r = ctx.response();
    r.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    subscribers.add(r);
    r.closeHandler(v -> subscribers.remove(r));
    r.exceptionHandler(e -> subscribers.remove(r));
    String now = lastJson.equals("{}") ? toJson(model()) : lastJson;
    send(r, "retry: 2000\n\nevent: status\ndata: " + now + "\n\n");
  }

  private void send(HttpServerResponse r, String text) {
    if (r.closed() || r.ended()) {
      subscribers.remove(r);
      return;
    }
    r.write(text).onFailure(e -> subscribers.remove(r));
  }

  /** Live subscribers now (tests, metrics). */
  public int subscribers() {
    return subscribers.size();
  }

  String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    return out.toString();
  }

  private static String toJson(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void html(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8").end(body);
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }
}
