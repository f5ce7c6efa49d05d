package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** POST /v1/keys/<region>/rotate as an outsider, an operator and an admin would call it. */
class KeyRotationApiTest extends LeaderApiTestBase {
  @Test
  void outsidersAndBadRequestsAreRefusedAndAnAdminRotatesOneRegion() throws Exception {
    String admin = api.admin.token();
    String ok = "{\"reason\":\"yearly\"}";
    assertThat(post(ok, null).statusCode()).isEqualTo(401);
    assertThat(post(ok, "guessed-token").statusCode()).isEqualTo(401);
    assertThat(post(ok, api.operator.token()).statusCode()).as("rotation is an admin call").isEqualTo(403);
    assertThat(post("{not json", admin).statusCode()).isEqualTo(400);
    assertThat(post("{}", admin).body()).contains("field 'reason' is required");
    assertThat(post("{\"by\":\"alice\",\"reason\":\"r\"}", admin).body()).contains("field 'by' is no longer taken");
    assertThat(api.post("/v1/keys/mars/rotate", ok, admin).body()).contains("region 'mars' is not configured");
    assertThat(post("{\"reason\":\"r\",\"grace\":\"forever\"}", admin).statusCode()).isEqualTo(400);
    assertThat(post("{\"reason\":\"r\",\"grace\":\"90d\"}", admin).body()).contains("grace must be between");
    assertThat(post("x".repeat(20_000), admin).statusCode()).isEqualTo(413);
    assertThat(api.f.journal.state().regionKey("b").generation()).as("nothing refused was journaled").isEqualTo(1);

    HttpResponse<String> r = post("{\"reason\":\"yearly\",\"grace\":\"1h\"}", admin);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"generation\":2").contains("pharos keys derive --region b --generation 2")
        .contains("\"audited\":true");
    assertThat(api.f.journal.state().regionKey("b").generation()).isEqualTo(2);
    assertThat(api.f.journal.state().regionKey("a").generation()).isEqualTo(1);
    assertThat(api.f.journal.state().audit().records().toString()).contains("/v1/keys/b/rotate").contains("yearly");
    api.f.journal.deposedBy("c2");
    assertThat(post(ok, admin).statusCode()).isEqualTo(409);
  }

  private HttpResponse<String> post(String body, String token) throws Exception {
    return api.post("/v1/keys/b/rotate", body, token);
  }
}
