package io.pharos.controller.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.http.auth.ApiGate;
import io.pharos.core.api.Role;
import io.pharos.core.journal.Incident;
import io.pharos.core.journal.Journal;
import io.pharos.core.status.IncidentReport;
import io.pharos.core.status.IncidentReports;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * The incidents and their reports for viewers: {@code GET /v1/incidents} (newest first) and
 * {@code GET /v1/incidents/<id>?format=json|md|html} (the incident report, JSON by default). Read
 * from this controller's replica: every controller answers the same.
 */
final class IncidentsApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IncidentsApi() {}

  static void mount(Router router, ApiGate gate, Journal journal) {
    router.get("/v1/incidents").handler(gate.require(Role.VIEWER)).handler(ctx -> list(ctx, journal));
    router.get("/v1/incidents/:id").handler(gate.require(Role.VIEWER)).handler(ctx -> show(ctx, journal));
  }

  private static void list(RoutingContext ctx, Journal journal) {
    ArrayNode out = MAPPER.createArrayNode();
    var all = journal.state().statusHistory().incidents();
    for (int k = all.size() - 1; k >= 0; k--) {
      Incident i = all.get(k);
      ObjectNode n = out.addObject().put("id", i.id()).put("title", i.title()).put("kind", i.kind().name())
          .put("status", i.status().label()).put("openedAt", Instant.ofEpochMilli(i.openedAt()).toString())
          .put("resolvedAt", i.resolvedAt() == 0 ? null : Instant.ofEpochMilli(i.resolvedAt()).toString())
          .put("automatic", i.automatic()).put("startedBy", i.startedBy());
      i.regions().forEach(n.putArray("regions")::add);
      i.decisionIds().forEach(n.putArray("decisions")::add);
    }
    ctx.response().putHeader("content-type", "application/json")
        .end(MAPPER.createObjectNode().set("incidents", out).toString());
  }

  private static void show(RoutingContext ctx, Journal journal) {
    Incident i = journal.state().statusHistory().incident(ctx.pathParam("id"));
    if (i == null) {
      ctx.response().setStatusCode(404).putHeader("content-type", "application/json").end(MAPPER.createObjectNode()
          .put("error", "no incident '" + ctx.pathParam("id") + "' (pharos incidents lists them; older ones are pruned"
              + " past statusPage.retention)").toString());
      return;
    }
    IncidentReport r = IncidentReport.of(i);
    String format = ctx.request().getParam("format", "json");
    switch (format) {
      case "json" -> ctx.response().putHeader("content-type", "application/json").end(r.toJson());
      case "md" -> ctx.response().putHeader("content-type", "text/markdown; charset=utf-8")
          .end(IncidentReports.markdown(r));
      case "html" -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(IncidentReports.html(r));
      default -> ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(MAPPER.createObjectNode().put("error", "format must be json, md or html, was '" + format + "'")
              .toString());
    }
  }
}
