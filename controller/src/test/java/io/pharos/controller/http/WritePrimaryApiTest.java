package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/regions/<r>/readonly} (operator) and {@code /promote} (admin) through the gate, the reason and the audit. */
class WritePrimaryApiTest extends LeaderApiTestBase {
  @Test
  void anOperatorSetsReadOnlyAndOnlyAnAdminPromotes() throws Exception {
    HttpResponse<String> ro = api.post("/v1/regions/b/readonly", "{\"on\":true,\"reason\":\"schema migration\"}",
        api.operator.token());
    assertThat(ro.statusCode()).as(ro.body()).isEqualTo(200);
    assertThat(ro.body()).contains("\"committed\":true").contains("\"audited\":true");
    assertThat(api.f.journal.state().modes().get("b").mode().label()).isEqualTo("read-only");
    assertThat(api.post("/v1/regions/b/readonly", "{\"on\":true,\"reason\":\"x\"}", api.viewer.token()).statusCode())
        .isEqualTo(403);
    assertThat(api.post("/v1/regions/b/readonly", "{\"reason\":\"x\"}", api.operator.token()).body())
        .contains("field 'on' is required");
    assertThat(api.post("/v1/regions/b/promote", "{\"reason\":\"x\"}", api.operator.token()).statusCode())
        .isEqualTo(403);
    // no policy.replicationLagSource in this config: the lag is unknown, so only a forced promotion passes
    HttpResponse<String> unknown = api.post("/v1/regions/c/promote", "{\"reason\":\"a is gone\"}", api.admin.token());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("replication lag is unknown").contains("RPO of 300 s").contains("--force");
    HttpResponse<String> forced = api.post("/v1/regions/c/promote", "{\"reason\":\"a is gone\",\"force\":true}",
        api.admin.token());
    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
    assertThat(api.f.journal.state().promotedPrimary()).isEqualTo("c");
    assertThat(api.post("/v1/regions/zz/readonly", "{\"on\":false,\"reason\":\"x\"}", api.operator.token()).body())
        .contains("unknown region 'zz'");
  }
}
