package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The controllers' Raft transport: mutual TLS required off loopback, plaintext only when asked for. */
class ControllersTlsConfigTest {
  private static final String C1 = "raft: \"127.0.0.1:17601\"";

  @Test
  void plaintextIsAllowedWhenEveryPeerIsOnLoopback() {
    ControllersConfig c = TestConfigs.threeRegions().controllers();
    assertThat(c.loopbackOnly()).isTrue();
    assertThat(c.tls()).isNull();
    assertThat(c.insecurePlaintext()).isFalse();
  }

  @Test
  void aPeerOffLoopbackNeedsTlsNamingThePeerAndTheOptOut() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(C1, "raft: \"10.0.1.5:7600\""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("controllers.tls (line 22): is required: controller c1's Raft address 10.0.1.5:7600 is"
            + " not loopback")
        .hasMessageContaining("controllers.insecurePlaintext: true");
  }

  @Test
  void theOptOutIsExplicitAndNeverTogetherWithTls() {
    ControllersConfig insecure = TestConfigs.threeRegionsWith("controllers:\n", "controllers:\n  insecurePlaintext: true\n")
        .controllers();
    assertThat(insecure.insecurePlaintext()).isTrue();
    ControllersConfig off = TestConfigs.threeRegionsYamlWith(
        "controllers:\n", "controllers:\n  insecurePlaintext: true\n", C1, "raft: \"10.0.1.5:7600\"").controllers();
    assertThat(off.loopbackOnly()).isFalse();
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("controllers:\n", "controllers:\n  insecurePlaintext: true\n"
        + "  tls: { certFile: a.crt, keyFile: a.key, caFile: ca.crt }\n"))
        .hasMessageContaining("controllers.insecurePlaintext (line 23): cannot be true together with controllers.tls");
  }

  @Test
  void tlsPathsNameEachControllersOwnFiles() {
    ControllersConfig c = TestConfigs.threeRegionsYamlWith("controllers:\n", "controllers:\n  tls: { certFile:"
        + " \"/etc/pharos/{id}.crt\", keyFile: \"/etc/pharos/{id}.key\", caFile: /etc/pharos/ca.crt }\n", C1,
        "raft: \"10.0.1.5:7600\"").controllers();
    assertThat(c.tls().forController("c2")).isEqualTo(new ControllersConfig.Tls("/etc/pharos/c2.crt",
        "/etc/pharos/c2.key", "/etc/pharos/ca.crt"));
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("controllers:\n", "controllers:\n  tls: { certFile: a }\n"))
        .hasMessageContaining("controllers.tls.keyFile (line 23): is required")
        .hasMessageContaining("controllers.tls.caFile (line 23): is required");
  }

  @Test
  void loopbackIsOnlyWhatIsWrittenAsLoopback() {
    assertThat(HostPort.parse("127.0.0.1:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("127.3.4.5:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("localhost:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("[::1]:1").isLoopback()).isTrue();
    assertThat(HostPort.parse("10.0.0.1:1").isLoopback()).isFalse();
    assertThat(HostPort.parse("127.0.0.1.example.com:1").isLoopback()).isFalse();
    assertThat(HostPort.parse("127.0.0.256:1").isLoopback()).isFalse();
    assertThat(HostPort.parse("0.0.0.0:1").isLoopback()).isFalse();
    assertThat(HostPort.parse("controller-1:1").isLoopback()).isFalse();
  }
}
