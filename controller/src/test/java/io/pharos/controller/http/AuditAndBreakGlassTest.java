package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditTruncated;
import io.pharos.core.journal.BreakGlassUsed;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditAndBreakGlassTest {
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

  private void start(int retain) throws Exception {
    ApiConfig d = ApiConfig.defaults();
    api = new ApiFixture(dir, new ApiConfig(null, d.open(), null, d.failedAuthPerIp(), 10_000, d.bodyLimit(), retain,
        null, Duration.ofMinutes(15)));
  }

  @Test
  void theLeaderKeepsTheChainShortBehindSignedAnchorsAndItStillVerifies() throws Exception {
    start(10);
    api.f.journal.becomeLeader();
    for (int i = 0; i < 25; i++) {
      HttpResponse<String> r = api.post("/v1/automation/pause", "{\"reason\":\"window " + i + "\"}",
          api.operator.token());
      assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
    }
    assertThat(api.f.journal.proposed().stream().filter(e -> e instanceof AuditTruncated)).isNotEmpty();
    List<String> lines = api.get("/v1/audit", api.viewer.token()).body().lines().toList();
    assertThat(lines.get(0)).contains("\"type\":\"anchor\"");
    assertThat(lines.size() - 1).isBetween(10, 21);
    AuditChain.Verification v = AuditChain.verify(lines, api.keys.getPublic());
    assertThat(v.problems()).isEmpty();
    assertThat(v.anchored()).isTrue();
    assertThat(v.last()).isEqualTo(25);
    List<String> cut = new ArrayList<>(lines);
    cut.remove(3);
    assertThat(AuditChain.verify(cut, api.keys.getPublic()).ok()).isFalse();
  }

  @Test
  void aRecordTheGroupCannotReadYetWaitsAndIsCommittedOnceItCan() throws Exception {
    start(500);
    api.f.journal.becomeLeader().withMember("c2", null); // c2 down: its format version is not known
    HttpResponse<String> r = api.post("/v1/automation/pause", "{\"reason\":\"region b lost\"}", api.operator.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"audited\":false");
    assertThat(api.f.journal.state().audit().records()).isEmpty();
    api.f.journal.withMember("c2", 2); // back, and it reads version 2
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
        .until(() -> api.f.journal.state().audit().records().size() == 1);
    assertThat(api.f.journal.state().audit().records().get(0).why()).isEqualTo("region b lost");
  }

  @Test
  void aRecoveryCodeGrantsAdminOnceWithoutAQuorumAndIsJournaledWhenThereIsOne() throws Exception {
    start(500);
    String code = api.codes.codes().get(0);
    // no leader: the journal cannot take anything, the code still works here
    HttpResponse<String> r = api.post("/v1/breakglass", "{\"code\":\"" + code + "\",\"reason\":\"quorum lost\"}",
        null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode granted = MAPPER.readTree(r.body());
    String session = granted.get("token").asText();
    assertThat(granted.get("role").asText()).isEqualTo("admin");
    assertThat(granted.get("expiresAt").asLong()).isEqualTo(api.f.clock.millis() + 15 * 60_000);
    assertThat(api.get("/v1/tokens", session).statusCode()).as("admin").isEqualTo(200);
    assertThat(api.post("/v1/breakglass", "{\"code\":\"" + code + "\",\"reason\":\"again\"}", null).body())
        .contains("was used already");
    assertThat(api.post("/v1/breakglass", "{\"code\":\"" + code.substring(0, 9) + "AAAAA-AAAAA-AAAAA-AAAAA\","
        + "\"reason\":\"guess\"}", null).statusCode()).isEqualTo(401);
    assertThat(api.post("/v1/breakglass", "{\"code\":\"" + api.codes.codes().get(1) + "\"}", null).body())
        .contains("field 'reason' is required");
    assertThat(api.f.journal.proposed()).isEmpty();

    api.f.journal.becomeLeader();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> !api.f.journal.state().breakGlass().spent().isEmpty());
    assertThat(api.f.journal.proposed()).singleElement().isInstanceOf(BreakGlassUsed.class);
    String codeId = code.substring(0, 8);
    assertThat(api.f.journal.state().audit().records()).singleElement()
        .satisfies(rec -> assertThat(rec.who()).isEqualTo("breakglass:" + codeId));
    // calls made with the session are audited under the code's name
    HttpResponse<String> pause = api.post("/v1/automation/pause", "{\"reason\":\"stop the bleeding\"}", session);
    assertThat(pause.statusCode()).as(pause.body()).isEqualTo(200);
    assertThat(api.f.journal.state().audit().records().get(1).who()).isEqualTo("breakglass:" + codeId);
    api.f.clock.advance(Duration.ofMinutes(16));
    assertThat(api.get("/v1/status", session).statusCode()).as("the grant ran out").isEqualTo(401);
  }

  @Test
  void wrongCodesCountAgainstTheAddressLikeWrongTokens() throws Exception {
    start(500);
    for (int i = 0; i < 10; i++) {
      assertThat(api.post("/v1/breakglass", "{\"code\":\"0000000" + i + "-AAAAA-AAAAA-AAAAA-AAAAA\",\"reason\":\"x\"}",
          null).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> r = api.post("/v1/breakglass", "{\"code\":\"" + api.codes.codes().get(0)
        + "\",\"reason\":\"x\"}", null);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
  }
}
