package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** policy.rpo, policy.replicationLagSource, policy.capacity, regions[].capacity and the webhooks section. */
class OperateConfigTest {
  static final String POLICY = "startupGrace: 10s, recoverAfter: 30s }";

  @Test
  void defaultsWithoutTheNewKeys() {
    PharosConfig c = TestConfigs.threeRegions();
    assertThat(c.policy().rpo()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.policy().replicationLagSource()).isNull();
    assertThat(c.policy().capacity()).isEqualTo(PolicyConfig.CapacityPolicy.ADVISORY);
    assertThat(c.webhooks().receivers()).isEmpty();
    assertThat(c.region("a").orElseThrow().capacity()).isNull();
  }

  @Test
  void readsEveryNewKey() {
    PharosConfig c = ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace(POLICY, "startupGrace: 10s,"
        + " recoverAfter: 30s, rpo: 90s, replicationLagSource: \"http://db.internal:9187/lag\", capacity: shape }")
        .replace("  - name: a\n    endpoints:", "  - name: a\n    capacity: \"http://10.0.0.1:8080/capacity\"\n"
            + "    endpoints:") + """
        webhooks:
          attempts: 3
          receivers:
            - { name: orders, url: "https://orders.internal/pharos", secretEnv: ORDERS_SECRET }
            - { name: billing, url: "http://billing.internal/hook", secretFile: /etc/pharos/billing.secret }
        """, TestConfigs.ENV);
    assertThat(c.policy().rpo()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.policy().replicationLagSource()).hasToString("http://db.internal:9187/lag");
    assertThat(c.policy().capacity()).isEqualTo(PolicyConfig.CapacityPolicy.SHAPE);
    assertThat(c.region("a").orElseThrow().capacity()).hasToString("http://10.0.0.1:8080/capacity");
    assertThat(c.webhooks().attempts()).isEqualTo(3);
    assertThat(c.webhooks().receivers()).extracting(WebhooksConfig.Receiver::name).containsExactly("orders", "billing");
    assertThat(c.webhooks().receivers().get(1).secretFile()).isEqualTo("/etc/pharos/billing.secret");
  }

  @Test
  void badValuesNameTheirField() {
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace(POLICY,
        "replicationLagSource: \"db:9187\", capacity: squeeze }"), TestConfigs.ENV))
        .hasMessageContaining("policy.replicationLagSource").hasMessageContaining("not an absolute http(s) URL")
        .hasMessageContaining("policy.capacity");
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml() + """
        webhooks:
          receivers:
            - { name: orders, url: "https://orders.internal/pharos" }
            - { name: orders, url: "https://x.internal/", secretEnv: A, secretFile: /b }
            - { name: nourl, secretEnv: C }
        """, TestConfigs.ENV))
        .hasMessageContaining("give exactly one of secretEnv").hasMessageContaining("configured twice")
        .hasMessageContaining("where mode changes are POSTed");
  }
}
