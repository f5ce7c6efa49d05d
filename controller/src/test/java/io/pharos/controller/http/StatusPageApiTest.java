package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.StatusPageConfig;
import io.pharos.core.journal.MaintenanceScheduled;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page on one controller's API: who may read it, live events, maintenance, retention. */
class StatusPageApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir
  Path dir;
  ApiFixture api;

  @AfterEach
  void stop() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void thePageIsPublicButIncidentReportsAreTheViewers() throws Exception {
    api = new ApiFixture(dir, ApiFixture.defaults(), StatusPageConfig.defaults());
    HttpResponse<String> page = api.get("/status", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<title>Service status</title>", "All systems operational",
        "data-component=\"app.pharos.test\"");
    JsonNode json = MAPPER.readTree(api.get("/status.json", null).body());
    assertThat(json.path("overall").asText()).isEqualTo("Operational");
    assertThat(json.path("regions")).hasSize(3);
    assertThat(json.path("days")).hasSize(90);
    assertThat(api.get("/v1/incidents", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/v1/incidents", api.viewer.token()).body()).isEqualTo("{\"incidents\":[]}");
    HttpResponse<String> none = api.get("/v1/incidents/inc-nope", api.viewer.token());
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("pharos incidents");
    assertThat(api.get("/status/incidents/inc-nope", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aViewerOnlyPageNeedsAToken() throws Exception {
    api = new ApiFixture(dir, ApiFixture.defaults(), new StatusPageConfig("Internal status", Duration.ofDays(30),
        false));
    for (String path : List.of("/status", "/status.json", "/status/live", "/status/events")) {
      assertThat(api.get(path, null).statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<String> page = api.get("/status", api.viewer.token());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Internal status", "The last 30 days");
  }

  @Test
  void announcedMaintenanceIsShownAheadAndLiveSubscribersHearOfIt() throws Exception {
    api = new ApiFixture(dir, ApiFixture.defaults(), StatusPageConfig.defaults());
    api.f.journal.becomeLeader();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<Stream<String>>> sse = api.http.sendAsync(HttpRequest.newBuilder(
        URI.create(api.url("/status/events"))).build(), HttpResponse.BodyHandlers.ofLines());
    sse.thenAccept(r -> {
      assertThat(r.headers().firstValue("content-type").orElse("")).isEqualTo("text/event-stream");
      new Thread(() -> r.body().forEach(lines::add), "sse-reader").start();
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: status"));
    lines.clear();
    long now = api.f.clock.millis();
    String body = "{\"regions\":[\"b\"],\"startsAt\":\"" + Instant.ofEpochMilli(now + 3_600_000) + "\",\"endsAt\":\""
        + Instant.ofEpochMilli(now + 7_200_000) + "\",\"title\":\"Database upgrade\",\"reason\":\"CHG-1\"}";
    HttpResponse<String> r = api.post("/v1/maintenance", body, api.operator.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(api.post("/v1/maintenance", body.replace("\"b\"", "\"x\""), api.operator.token()).body())
        .contains("region 'x' is not configured");
    assertThat(api.post("/v1/maintenance", body.replace("Z\",\"endsAt", "\",\"endsAt").replace(
        "\"startsAt\":\"", "\"startsAt\":\"soon"), api.operator.token()).statusCode()).isEqualTo(400);
    assertThat(api.post("/v1/maintenance", body, api.viewer.token()).statusCode()).isEqualTo(403);
    // the subscriber hears of it without asking, once: nothing else changed
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
        && l.contains("Database upgrade")));
    assertThat(lines.stream().filter(l -> l.equals("event: status"))).hasSize(1);
    JsonNode json = MAPPER.readTree(api.get("/status.json", null).body());
    assertThat(json.path("maintenance").get(0).path("status").asText()).isEqualTo("scheduled");
    assertThat(json.path("regions").get(1).path("state").asText()).isEqualTo("Operational");
    api.f.clock.advance(Duration.ofMinutes(90));
    json = MAPPER.readTree(api.get("/status.json", null).body());
    assertThat(json.path("maintenance").get(0).path("status").asText()).isEqualTo("in progress");
    assertThat(json.path("regions").get(1).path("state").asText()).isEqualTo("Maintenance");
    assertThat(json.path("overall").asText()).isEqualTo("Maintenance");
    String id = json.path("maintenance").get(0).path("id").asText();
    assertThat(api.post("/v1/maintenance/" + id + "/cancel", "{\"reason\":\"done early\"}", api.operator.token())
        .statusCode()).isEqualTo(200);
    json = MAPPER.readTree(api.get("/status.json", null).body());
    assertThat(json.path("regions").get(1).path("state").asText()).isEqualTo("Operational");
    sse.cancel(true);
  }

  @Test
  void theActingLeaderPrunesTheHistoryPastTheRetention() throws Exception {
    api = new ApiFixture(dir, ApiFixture.defaults(), new StatusPageConfig("s", Duration.ofDays(7), true));
    api.f.journal.becomeLeader();
    long now = api.f.clock.millis();
    api.f.journal.propose(new MaintenanceScheduled("mw-1", List.of("a"), now + 1_000, now + 2_000, "t", "al", "r",
        api.f.journal.term(), now, "c1")).get();
    assertThat(api.f.journal.state().statusHistory().maintenance()).hasSize(1);
    // the window ended 2 s after it was announced: 7 days later it is past the retention
    api.f.clock.advance(Duration.ofDays(7).plusMinutes(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> api.f.journal.state().statusHistory().maintenance().isEmpty());
    assertThat(api.f.journal.proposed()).anyMatch(e -> e instanceof io.pharos.core.journal.StatusPruned);
  }
}
