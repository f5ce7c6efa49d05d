package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.attack.MultipartUploader;
import io.pharos.testkit.attack.RoleOverreach;
import io.pharos.testkit.attack.TokenGuesser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The testkit's API attacks against one controller's API: each fails, and nothing reaches the journal. */
class ApiAttackTest extends LeaderApiTestBase {
  @Test
  void unauthenticatedMultipartUploadsGet401AndWriteNoFile() {
    boolean before = Files.exists(Path.of("file-uploads"));
    MultipartUploader.Result r = new MultipartUploader(api.url("")).run(5, 200_000, Duration.ofSeconds(30));
    assertThat(r.posts()).isEqualTo(15);
    assertThat(r.statuses()).containsOnlyKeys(401);
    assertThat(Files.exists(Path.of("file-uploads"))).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("file-uploads"))).isFalse();
    assertThat(api.f.journal.proposed()).isEmpty();
  }

  @Test
  void tokenBruteForceIsCutOffWith429AndTheRateLimitHeaders() {
    TokenGuesser.Result r = new TokenGuesser(api.url("")).run("ops-root", 30, Duration.ofSeconds(60));
    assertThat(r.accepted()).isZero();
    assertThat(r.guessesBefore429()).isEqualTo(10);
    assertThat(r.statuses()).containsEntry(401, 10).containsEntry(429, 20);
    Map<String, String> headers = r.first429().orElseThrow();
    assertThat(headers).containsEntry("X-RateLimit-Limit", "10").containsEntry("X-RateLimit-Remaining", "0")
        .containsKeys("X-RateLimit-Reset", "Retry-After");
    assertThat(api.api.refusals().counted(429, "auth-rate")).isEqualTo(20);
    assertThat(api.f.journal.proposed()).isEmpty();
  }

  @Test
  void aViewerTokenCannotDoWhatAnOperatorOrAdminDoes() {
    Map<String, Integer> r = new RoleOverreach(api.url(""), api.viewer.token()).run();
    assertThat(r).hasSize(RoleOverreach.CALLS.size());
    assertThat(r.values()).containsOnly(403);
    assertThat(api.f.journal.proposed()).as("nothing changed, nothing journaled").isEmpty();
    assertThat(new RoleOverreach(api.url(""), api.operator.token()).run())
        .as("an operator is refused the admin calls").containsEntry("POST /v1/controllers/members", 403)
        .containsEntry("GET /v1/tokens", 403);
  }
}
