package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.security.Ed25519;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {
  @Test
  void withoutAnApiSectionTheDefaultsHold() {
    ApiConfig api = TestConfigs.threeRegions().api();
    assertThat(api).isEqualTo(ApiConfig.defaults());
    assertThat(api.open()).containsExactlyInAnyOrder("health", "ready", "metrics");
    assertThat(api.failedAuthPerIp()).isEqualTo(10);
    assertThat(api.perToken()).isEqualTo(120);
    assertThat(api.breakGlassGrant()).isEqualTo(Duration.ofMinutes(15));
    assertThat(api.scheme()).isEqualTo("http");
  }

  @Test
  void readsEverySettingAndTheEnvironmentNamesTheTokensFile() {
    String yaml = TestConfigs.threeRegionsYaml() + """
        api:
          tokensFile: /etc/pharos/tokens
          open: [health]
          tls: { certFile: "/etc/pharos/api-{id}.pem", keyFile: "/etc/pharos/api-{id}.key", caFile: /etc/pharos/ca.pem }
          rateLimit: { failedAuthPerIp: 5, perToken: 600 }
          bodyLimit: 8192
          audit: { retain: 200 }
          breakGlass: { codesFile: /etc/pharos/breakglass, grant: 5m }
        """;
    ApiConfig api = ConfigLoader.parse(yaml, TestConfigs.ENV).api();
    assertThat(api.tokensFile()).isEqualTo("/etc/pharos/tokens");
    assertThat(api.open()).containsExactly("health");
    assertThat(ApiConfig.Tls.forController(api.tls().certFile(), "c1")).isEqualTo("/etc/pharos/api-c1.pem");
    assertThat(api.scheme()).isEqualTo("https");
    assertThat(api.failedAuthPerIp()).isEqualTo(5);
    assertThat(api.perToken()).isEqualTo(600);
    assertThat(api.bodyLimit()).isEqualTo(8192);
    assertThat(api.auditRetain()).isEqualTo(200);
    assertThat(api.breakGlassFile()).isEqualTo("/etc/pharos/breakglass");
    assertThat(api.breakGlassGrant()).isEqualTo(Duration.ofMinutes(5));
    Map<String, String> env = new java.util.HashMap<>(TestConfigs.ENV);
    env.put(ApiConfig.TOKENS_FILE_ENV, "/run/secrets/tokens");
    assertThat(ConfigLoader.parse(yaml, env).api().tokensFile()).isEqualTo("/run/secrets/tokens");
  }

  @Test
  void badSettingsNameTheirField() {
    String yaml = TestConfigs.threeRegionsYaml() + """
        api:
          open: [health, status]
          tls: { certFile: a.pem }
          rateLimit: { perToken: 0 }
          audit: { retain: 100000 }
          breakGlass: { grant: 1d }
          tokenFile: x
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, TestConfigs.ENV))
        .hasMessageContaining("api.open")
        .hasMessageContaining("'status' cannot be left open")
        .hasMessageContaining("api.tls.keyFile")
        .hasMessageContaining("api.rateLimit.perToken")
        .hasMessageContaining("api.audit.retain")
        .hasMessageContaining("api.breakGlass.grant")
        .hasMessageContaining("tokensFile");
  }

  @Test
  void theControllersPublicKeyIsReadAndCheckedFromSecurity() {
    String key = Ed25519.base64(Ed25519.generate().getPublic());
    String yaml = TestConfigs.threeRegionsYaml().replace("security:", "security:\n  controllerPublicKey: " + key);
    if (!yaml.contains("controllerPublicKey")) {
      yaml = yaml + "security:\n  controllerPublicKey: " + key + "\n";
    }
    assertThat(ConfigLoader.parse(yaml, TestConfigs.ENV).controllerKeys().publicKey()).isNotNull();
    String bad = yaml.replace(key, "bm90IGEga2V5");
    assertThatThrownBy(() -> ConfigLoader.parse(bad, TestConfigs.ENV))
        .hasMessageContaining("security.controllerPublicKey").hasMessageContaining("not an Ed25519 public key");
  }
}
