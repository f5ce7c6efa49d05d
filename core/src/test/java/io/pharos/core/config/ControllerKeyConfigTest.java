package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerKeyConfigTest {
  // throwaway pairs generated per run: test-only, not secrets
  private static final KeyPair PAIR = Ed25519.generate();
  private static final KeyPair NEXT = Ed25519.generate();

  static PharosConfig parse(String security, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(TestConfigs.ENV);
    env.putAll(extraEnv);
    return ConfigLoader.parse(TestConfigs.threeRegionsYaml() + "security:\n" + security, env);
  }

  static String pub(KeyPair p) {
    return Ed25519.base64(p.getPublic());
  }

  @Test
  void withoutKeysTheConfigLoadsButNeitherAgentNorControllerMayUseIt() {
    ControllerKeyConfig keys = TestConfigs.threeRegions().controllerKeys();
    assertThat(keys.hasPublicKey()).isFalse();
    assertThatThrownBy(() -> keys.requireTrusted("an agent")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("security.controllerPublicKey: is required for an agent")
        .hasMessageContaining("pharos keys generate");
  }

  @Test
  void theControllerKeyComesFromTheEnvironmentAndMustPairWithThePublicKey() {
    PharosConfig c = parse("  controllerPublicKey: " + pub(PAIR) + "\n",
        Map.of("PHAROS_CONTROLLER_KEY", Ed25519.pem(PAIR.getPrivate())));
    ControllerKeyConfig.SigningKey k = c.controllerKeys().signingKey(f -> {
      throw new AssertionError("no file configured");
    });
    assertThat(k.publicKey()).isEqualTo(PAIR.getPublic());
    assertThat(c.controllerKeys().toString()).contains(ControllerKeys.keyId(PAIR.getPublic())).contains("<redacted>")
        .doesNotContain(Ed25519.pem(PAIR.getPrivate()).lines().skip(1).findFirst().orElseThrow());
    assertThat(k.toString()).doesNotContain(Ed25519.pem(PAIR.getPrivate()).lines().skip(1).findFirst().orElseThrow());

    PharosConfig wrong = parse("  controllerPublicKey: " + pub(NEXT) + "\n",
        Map.of("PHAROS_CONTROLLER_KEY", Ed25519.pem(PAIR.getPrivate())));
    assertThatThrownBy(() -> wrong.controllerKeys().signingKey(f -> ""))
        .hasMessageContaining("security.controllerKeyEnv: the private key does not belong to"
            + " security.controllerPublicKey (" + ControllerKeys.keyId(NEXT.getPublic()) + ")");
  }

  @Test
  void theControllerKeyFileIsReadOnlyWhenAControllerAsks() {
    PharosConfig c = parse("  controllerPublicKey: " + pub(NEXT) + "\n  controllerPreviousPublicKey: " + pub(PAIR)
        + "\n  controllerKeyFile: /etc/pharos/controller-key.pem\n", Map.of());
    assertThat(c.controllerKeys().trusted()).containsExactly(NEXT.getPublic(), PAIR.getPublic());
    ControllerKeyConfig.SigningKey k = c.controllerKeys().signingKey(f -> {
      assertThat(f).isEqualTo("/etc/pharos/controller-key.pem");
      return Ed25519.pem(PAIR.getPrivate());
    });
    assertThat(k.publicKey()).as("during a rotation the old pair still signs").isEqualTo(PAIR.getPublic());
    assertThatThrownBy(() -> c.controllerKeys().signingKey(f -> "garbage"))
        .hasMessageContaining("security.controllerKeyFile: /etc/pharos/controller-key.pem holds no Ed25519 private key");
    assertThatThrownBy(() -> c.controllerKeys().signingKey(f -> {
      throw new java.io.UncheckedIOException(new java.io.IOException("denied"));
    })).hasMessageContaining("cannot read /etc/pharos/controller-key.pem");
  }

  @Test
  void aControllerWithoutItsKeyOrWithTwoIsAClearError() {
    PharosConfig none = parse("  controllerPublicKey: " + pub(PAIR) + "\n", Map.of());
    assertThatThrownBy(() -> none.controllerKeys().signingKey(f -> ""))
        .hasMessageContaining("set security.controllerKeyFile to its PEM file, or the environment variable"
            + " PHAROS_CONTROLLER_KEY");
    PharosConfig both = parse("  controllerPublicKey: " + pub(PAIR) + "\n  controllerKeyFile: k.pem\n",
        Map.of("PHAROS_CONTROLLER_KEY", Ed25519.pem(PAIR.getPrivate())));
    assertThatThrownBy(() -> both.controllerKeys().signingKey(f -> "")).hasMessageContaining("keep one");
  }

  @Test
  void badKeysAreNamedByFieldWithoutEchoingASecret() {
    String secretLooking = "MC4CAQAwBQYDK2VwBCIEIBADBADBADBADBADBADBADBADBADBADBADBADBADBADBA";
    assertThatThrownBy(() -> parse("  controllerPublicKey: not-a-key\n  controllerKeyEnv: MY_KEY\n",
        Map.of("MY_KEY", secretLooking)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("security.controllerPublicKey (line 30): not an Ed25519 public key")
        .hasMessageContaining("security.controllerKeyEnv (line 31): environment variable MY_KEY holds no Ed25519"
            + " private key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretLooking));
    assertThatThrownBy(() -> parse("  controllerPublicKey: " + pub(PAIR) + "\n  controllerPreviousPublicKey: "
        + pub(PAIR) + "\n", Map.of())).hasMessageContaining("is the same key as controllerPublicKey");
    assertThatThrownBy(() -> parse("  controllerPreviousPublicKey: " + pub(PAIR) + "\n", Map.of()))
        .hasMessageContaining("security.controllerPreviousPublicKey (line 30): is only used beside"
            + " controllerPublicKey");
    assertThatThrownBy(() -> parse("  controllerPublicKy: " + pub(PAIR) + "\n", Map.of()))
        .hasMessageContaining("did you mean 'controllerPublicKey'");
  }
}
