package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import io.pharos.testkit.config.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysCommandTest {
  static final Map<String, String> ENV = TestConfigs.ENV;

  @Test
  void derivesWhatTheControllersDeriveAsTheLineAnAgentReads() {
    RegionKey key = KeysDeriveCommand.derive(null, ENV, "eu-west", 3);
    assertThat(key).isEqualTo(MasterSecret.of(TestConfigs.TEST_MASTER_SECRET).regionKey("eu-west", 3));
    assertThat(RegionKey.parse(key.format())).isEqualTo(key);
    assertThat(key.format()).startsWith("pharos-region-key:v1:eu-west:3:");
    assertThat(KeysDeriveCommand.derive(null, ENV, "eu-west", 1)).isNotEqualTo(key);
    assertThat(KeysDeriveCommand.derive(null, ENV, "us-east", 3)).isNotEqualTo(key);
  }

  @Test
  void checksTheRegionAgainstTheConfigAndUsesItsSecretVariable() {
    String yaml = """
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] } } ]
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        security: { masterSecretEnv: MY_SECRET }
        """;
    Map<String, String> env = Map.of("MY_SECRET", TestConfigs.TEST_MASTER_SECRET);
    assertThat(KeysDeriveCommand.derive(yaml, env, "b", 1)).isEqualTo(TestConfigs.regionKey("b"));
    assertThatThrownBy(() -> KeysDeriveCommand.derive(yaml, env, "mars", 1))
        .hasMessageContaining("region 'mars' is not configured");
    assertThatThrownBy(() -> KeysDeriveCommand.derive(yaml, ENV, "b", 1))
        .hasMessageContaining("security.masterSecretEnv: environment variable MY_SECRET is not set");
    assertThatThrownBy(() -> KeysDeriveCommand.derive(null, ENV, "b", 0)).hasMessageContaining("at least 1");
  }

  @Test
  void withoutTheMasterSecretItSaysWhereToRunItAndExits2() {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      int code = Pharos.run("keys", "derive", "--region", "a");
      if (System.getenv("PHAROS_MASTER_SECRET") == null) {
        assertThat(code).isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("PHAROS_MASTER_SECRET is not set");
        assertThat(o.toString(StandardCharsets.UTF_8)).isEmpty();
      }
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
  }
}
