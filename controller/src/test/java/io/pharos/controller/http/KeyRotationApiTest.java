package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.controller.ingest.KeyRotations;
import io.pharos.core.journal.ControlState;
import io.pharos.testkit.FakeClock;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.journal.InMemoryJournal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/keys/<region>/rotate as an outsider and as an admin would call it. */
class KeyRotationApiTest {
  static final String TOKEN = "test-only-admin-token";
  Vertx vertx;
  HttpServer server;
  InMemoryJournal journal;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    journal = new InMemoryJournal(ControlState.initial(TestConfigs.threeRegions())).becomeLeader();
    Router router = Router.router(vertx);
    router.post("/v1/*").handler(BodyHandler.create().setBodyLimit(16_384));
    new KeyRotationApi(new KeyRotations(TestConfigs.threeRegions(), "c1", new FakeClock(), journal), ctx -> {
      if (("Bearer " + TOKEN).equals(ctx.request().getHeader("Authorization"))) {
        return true;
      }
      ctx.response().setStatusCode(401).end("{\"error\":\"missing or wrong bearer token\"}");
      return false;
    }).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void outsidersAndBadRequestsAreRefusedAndAnAdminRotatesOneRegion() throws Exception {
    String ok = "{\"by\":\"alice\",\"reason\":\"yearly\"}";
    assertThat(post("/v1/keys/b/rotate", ok, null).statusCode()).isEqualTo(401);
    assertThat(post("/v1/keys/b/rotate", ok, "guessed-token").statusCode()).isEqualTo(401);
    assertThat(post("/v1/keys/b/rotate", "{not json", TOKEN).statusCode()).isEqualTo(400);
    assertThat(post("/v1/keys/b/rotate", "{\"by\":\"alice\"}", TOKEN).body())
        .contains("field 'reason' is required");
    assertThat(post("/v1/keys/mars/rotate", ok, TOKEN).body()).contains("region 'mars' is not configured");
    assertThat(post("/v1/keys/b/rotate", "{\"by\":\"a\",\"reason\":\"r\",\"grace\":\"forever\"}", TOKEN).statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/keys/b/rotate", "x".repeat(20_000), TOKEN).statusCode()).isEqualTo(413);
    assertThat(journal.state().regionKey("b").generation()).as("nothing refused was journaled").isEqualTo(1);

    HttpResponse<String> r = post("/v1/keys/b/rotate", "{\"by\":\"alice\",\"reason\":\"yearly\",\"grace\":\"1h\"}",
        TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"generation\":2").contains("pharos keys derive --region b --generation 2");
    assertThat(journal.state().regionKey("b").generation()).isEqualTo(2);
    assertThat(journal.state().regionKey("a").generation()).isEqualTo(1);
    journal.deposedBy("c2");
    assertThat(post("/v1/keys/b/rotate", ok, TOKEN).statusCode()).isEqualTo(409);
  }
}
