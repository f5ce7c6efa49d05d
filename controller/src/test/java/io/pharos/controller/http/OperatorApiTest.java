package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.journal.AuditChain;
import io.pharos.core.journal.AuditRecorded;
import io.pharos.core.journal.JournalEntry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may call what on the operator API, and what every call leaves behind (audit) or not (refusals). */
class OperatorApiTest extends LeaderApiTestBase {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everyReadButHealthReadyAndMetricsNeedsAToken() throws Exception {
    for (String path : List.of("/v1/status", "/v1/events", "/v1/controllers", "/v1/audit", "/v1/tokens", "/v1/nosuch")) {
      HttpResponse<String> r = api.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.body()).as(path).contains("needs a bearer token");
    }
    for (String path : List.of("/health", "/ready", "/metrics")) {
      assertThat(api.get(path, null).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(api.get("/v1/status", api.viewer.token()).statusCode()).isEqualTo(200);
    assertThat(api.get("/v1/events", api.viewer.token()).statusCode()).isEqualTo(200);
    assertThat(api.get("/v1/tokens", api.operator.token()).statusCode()).isEqualTo(403);
    HttpResponse<String> tokens = api.get("/v1/tokens", api.admin.token());
    assertThat(tokens.statusCode()).isEqualTo(200);
    assertThat(tokens.body()).contains("ops-alice", "operator").doesNotContain("pbkdf2", api.operator.token());
    assertThat(api.get("/v1/nosuch", api.viewer.token()).statusCode()).isEqualTo(404);
    assertThat(api.post("/v1/status", "{}", "pt1.nobody.AAAA").statusCode()).isEqualTo(401);
  }

  @Test
  void eachRoleDoesWhatItMayAndNoMore() throws Exception {
    HttpResponse<String> viewer = api.post("/v1/regions/b/failover", "{\"reason\":\"drill\"}", api.viewer.token());
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(viewer.body()).contains("token 'ops-viewer' is viewer").contains("needs operator");
    HttpResponse<String> operator = api.post("/v1/regions/b/failover", "{\"reason\":\"drill\"}", api.operator.token());
    assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
    assertThat(operator.body()).contains("\"committed\":true").contains("\"audited\":true");
    assertThat(operator.headers().firstValue("X-RateLimit-Limit")).hasValue("120");
    assertThat(operator.headers().firstValue("X-RateLimit-Remaining")).hasValue("119");
    assertThat(api.f.journal.state().intents().values()).singleElement()
        .satisfies(i -> assertThat(i.intent().reason()).contains("ops-alice"));

    String members = "{\"reason\":\"shrink\",\"members\":[{\"id\":\"c1\",\"raft\":\"127.0.0.1:7600\"}]}";
    assertThat(api.post("/v1/controllers/members", members, api.operator.token()).statusCode()).isEqualTo(403);
    HttpResponse<String> one = api.post("/v1/controllers/members", members, api.admin.token());
    assertThat(one.statusCode()).isEqualTo(400);
    assertThat(one.body()).contains("a group of 1 controller survives no failure; use 3 or 5");
    String four = "{\"reason\":\"grow\",\"members\":[" + "{\"id\":\"c1\",\"raft\":\"127.0.0.1:7600\"},".repeat(3)
        + "{\"id\":\"c4\",\"raft\":\"127.0.0.1:7603\"}]}";
    assertThat(api.post("/v1/controllers/members", four, api.admin.token()).body())
        .contains("a group of 4 controllers cannot outvote a split; use 3 or 5");
  }

  @Test
  void badInputIsA400WithTheReasonAndNeverJournaled() throws Exception {
    String t = api.operator.token();
    assertThat(api.post("/v1/automation/pause", "{}", t).body()).contains("field 'reason' is required");
    assertThat(api.post("/v1/automation/pause", "{not json", t).body()).contains("bad JSON");
    assertThat(api.post("/v1/automation/pause", "[1]", t).body()).contains("must be a JSON object");
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"x\",\"by\":\"mallory\"}", t).body())
        .contains("field 'by' is no longer taken: who asks is the token's name ('ops-alice')");
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"x\",\"color\":1}", t).body())
        .contains("unknown field [color]");
    assertThat(api.post("/v1/regions/a/evacuate", "{\"reason\":\"x\",\"hold\":\"soon\"}", t).statusCode())
        .isEqualTo(400);
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"" + "x".repeat(20_000) + "\"}", t).statusCode())
        .isEqualTo(413);
    assertThat(api.f.journal.proposed()).as("no Raft write for a refused call").isEmpty();
    assertThat(api.api.refusals().counted(400, "no-reason")).isEqualTo(1);
    assertThat(api.api.refusals().counted(400, "bad-json")).isEqualTo(2);
    assertThat(api.api.refusals().counted(413, "too-large")).isEqualTo(1);
    assertThat(api.get("/metrics", null).body()).contains("pharos_api_refused_total{controller=\"c1\",reason=\"no-reason\","
        + "status=\"400\"} 1.0");
  }

  @Test
  void everyAuthenticatedMutationIsInTheAuditChainAndNoRefusalIs() throws Exception {
    String t = api.operator.token();
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"deploy\"}", null).statusCode()).isEqualTo(401);
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"deploy\"}", api.viewer.token()).statusCode())
        .isEqualTo(403);
    assertThat(api.post("/v1/automation/pause", "{\"reason\":\"deploy 42\",\"until\":0}", t).statusCode())
        .isEqualTo(200);
    HttpResponse<String> refused = api.post("/v1/decisions/d-none/approve", "{\"reason\":\"looks right\"}", t);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("does not wait for an operator").contains("\"audited\":true");
    assertThat(api.post("/v1/automation/resume", "{\"reason\":\"done\"}", t).statusCode()).isEqualTo(200);

    List<JournalEntry> audits = api.f.journal.proposed().stream().filter(e -> e instanceof AuditRecorded).toList();
    assertThat(audits).hasSize(3);
    HttpResponse<String> export = api.get("/v1/audit", api.viewer.token());
    assertThat(export.statusCode()).isEqualTo(200);
    List<String> lines = export.body().lines().toList();
    assertThat(AuditChain.verify(lines, null).problems()).isEmpty();
    assertThat(lines).hasSize(3);
    var first = MAPPER.readTree(lines.get(0));
    assertThat(first.get("who").asText()).isEqualTo("ops-alice");
    assertThat(first.get("role").asText()).isEqualTo("operator");
    assertThat(first.get("what").asText()).isEqualTo("POST /v1/automation/pause {\"until\":0}");
    assertThat(first.get("why").asText()).isEqualTo("deploy 42");
    assertThat(first.get("result").asText()).startsWith("committed 1:");
    assertThat(first.get("term").asLong()).isEqualTo(1);
    assertThat(MAPPER.readTree(lines.get(1)).get("result").asText()).startsWith("refused: decision d-none");
    assertThat(api.api.refusals().counted(401, "no-token")).isEqualTo(1);
    assertThat(api.api.refusals().counted(403, "role")).isEqualTo(1);
  }

  @Test
  void aFollowerNamesTheLeadersApiAndRecordsNothing() throws Exception {
    api.f.journal.deposedBy("c2");
    HttpResponse<String> r = api.post("/v1/automation/pause", "{\"reason\":\"x\"}", api.operator.token());
    assertThat(r.statusCode()).isEqualTo(409);
    var body = MAPPER.readTree(r.body());
    assertThat(body.has("leader")).as(r.body()).isTrue();
    assertThat(body.get("error").asText()).contains("not the acting leader");
    assertThat(body.get("leader").asText()).isEqualTo("c2");
    assertThat(body.get("leaderApi").asText()).isEqualTo("http://127.0.0.1:22");
    assertThat(api.f.journal.proposed()).isEmpty();
  }

  @Test
  void bruteForceGets429WithTheHeadersWhileAKnownTokenStillWorks() throws Exception {
    assertThat(api.get("/v1/status", api.viewer.token()).statusCode()).isEqualTo(200); // checked once: known
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = api.get("/v1/status", "pt1.ops-alice.guess" + i);
      assertThat(r.statusCode()).as("guess " + i).isEqualTo(401);
      assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(9 - i));
    }
    HttpResponse<String> locked = api.get("/v1/status", "pt1.ops-alice.guess10");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
    assertThat(locked.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    assertThat(Long.parseLong(locked.headers().firstValue("X-RateLimit-Reset").orElseThrow())).isBetween(1L, 60L);
    assertThat(api.get("/v1/status", api.operator.token()).statusCode())
        .as("even the right token, unchecked so far, waits: a guess must not be told apart").isEqualTo(429);
    assertThat(api.get("/v1/status", api.viewer.token()).statusCode()).as("a token checked before").isEqualTo(200);
    api.f.clock.advance(Duration.ofSeconds(61));
    assertThat(api.get("/v1/status", api.operator.token()).statusCode()).isEqualTo(200);
    assertThat(api.api.refusals().counted(429, "auth-rate")).isEqualTo(2);
  }

  @Test
  void aTokenOverItsOwnLimitGets429() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(api.get("/v1/status", api.slow.token()).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> r = api.get("/v1/status", api.slow.token());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
    assertThat(r.headers().firstValue("Retry-After")).isPresent();
    assertThat(r.body()).contains("token 'ops-slow' made more than 3 calls this minute");
  }

  @Test
  void aMultipartPostLeavesNoFileWhetherAuthenticatedOrNot() throws Exception {
    Path uploads = Path.of("file-uploads");
    boolean existedBefore = Files.exists(uploads);
    String boundary = "----pharos-test";
    String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "A".repeat(100_000) + "\r\n--" + boundary + "--\r\n";
    for (String token : new String[] {null, api.operator.token()}) {
      var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.url("/v1/regions/b/failover")))
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(multipart));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      int status = api.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
      assertThat(status).isEqualTo(token == null ? 401 : 415);
    }
    assertThat(Files.exists(uploads)).as("no upload directory created").isEqualTo(existedBefore);
    assertThat(api.f.journal.proposed()).isEmpty();
  }

  @Test
  void aTokenAddedToTheFileWorksWithoutARestart() throws Exception {
    var fresh = io.pharos.core.api.TokenFile.issue("ops-new", io.pharos.core.api.Role.VIEWER,
        null, io.pharos.core.security.Pbkdf2.MIN_ITERATIONS, ApiFixture.RANDOM);
    assertThat(api.get("/v1/status", fresh.token()).statusCode()).isEqualTo(401);
    Files.writeString(api.tokensFile, fresh.line() + "\n", java.nio.file.StandardOpenOption.APPEND);
    Files.setLastModifiedTime(api.tokensFile, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() + 5_000));
    // watched through the admin's token list, not by retrying the new token: failed tries from one
    // address are rate limited, and the limit is not what this test is about
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> api.get("/v1/tokens", api.admin.token()).body().contains("ops-new"));
    assertThat(api.get("/v1/status", fresh.token()).statusCode()).isEqualTo(200);
  }
}
