package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Break-glass on real controllers: with two of three down there is no quorum and the token store
 * does not matter; a recovery code still grants admin on the survivor, at once. When a quorum is
 * back the use is journaled and the code is refused everywhere.
 */
class BreakGlassClusterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRecoveryCodeWorksWithTwoOfThreeControllersDownAndIsSpentEverywhereOnceJournaled() throws Exception {
    try (TestCluster cluster = new TestCluster(dir)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader() != null);
      PharosController survivor = cluster.byId("c-a");
      for (String id : new String[] {"c-b", "c-c"}) {
        PharosController c = cluster.byId(id);
        c.close();
        cluster.controllers.remove(c);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> !survivor.raft().isActingLeader());
      String code = cluster.breakGlassCodes.get(0);
      String codeId = code.substring(0, 8);

      HttpResponse<String> r = post(survivor, "/v1/breakglass", "{\"code\":\"" + code + "\",\"reason\":\"quorum lost\"}",
          null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String session = MAPPER.readTree(r.body()).get("token").asText();
      assertThat(get(survivor, "/v1/tokens", session).statusCode()).as("admin without a quorum").isEqualTo(200);
      assertThat(get(survivor, "/v1/status", session).statusCode()).isEqualTo(200);
      assertThat(post(survivor, "/v1/breakglass", "{\"code\":\"" + code + "\",\"reason\":\"again\"}", null).statusCode())
          .as("refused at once where it was used").isEqualTo(401);
      HttpResponse<String> pause = post(survivor, "/v1/automation/pause", "{\"reason\":\"hold still\"}", session);
      assertThat(pause.statusCode()).as("authenticated, but nothing can be committed without a quorum").isEqualTo(409);
      assertThat(survivor.state().breakGlass().spent()).isEmpty();

      // the others back: the use is journaled (by the survivor or forwarded to whoever leads). Both,
      // not just a quorum: the entry is of format version 2, which the leader proposes only once every
      // member has said it reads it (GroupFormat: a member that does not answer counts as version 1)
      PharosController back = PharosController.start(cluster.config, new ControllerOptions("c-b", dir),
          Clock.systemUTC());
      cluster.controllers.add(back);
      cluster.controllers.add(PharosController.start(cluster.config, new ControllerOptions("c-c", dir),
          Clock.systemUTC()));
      await().atMost(Duration.ofSeconds(60)).until(() -> back.state().breakGlass().spent().containsKey(codeId)
          && survivor.state().breakGlass().spent().containsKey(codeId));
      assertThat(post(back, "/v1/breakglass", "{\"code\":\"" + code + "\",\"reason\":\"elsewhere\"}", null).body())
          .as("spent everywhere once journaled").contains("was used already");
      assertThat(get(back, "/v1/tokens", session).statusCode()).as("the session, journaled, works on the others")
          .isEqualTo(200);
      assertThat(back.state().audit().records()).anySatisfy(a -> assertThat(a.who()).isEqualTo("breakglass:" + codeId));
      assertThat(back.state().events()).anySatisfy(e -> assertThat(e.code()).isEqualTo("BreakGlassUsed"));
    }
  }

  private HttpResponse<String> post(PharosController c, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPort() + path))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(PharosController c, String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.apiPort() + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
