package io.pharos.testkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerKeyConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.wire.ModeRecordSigner;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.NodeCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxSecretsTest {
  @TempDir
  Path dir;

  @Test
  void aSandboxGeneratesItsOwnControllersKeyAndTheAgentsGetThePublicKey() throws Exception {
    NodeCommands none = new NodeCommands() {
      public List<String> app(String listen, String region) {
        return List.of();
      }

      public List<String> controller(Path config, String id, Path dataDir) {
        return List.of();
      }

      public List<String> agent(Path config, String region, String id, String listen) {
        return List.of();
      }
    };
    try (LocalSandbox one = LocalSandbox.builder(dir.resolve("one"), Launcher.current(Object.class, none)).build();
        LocalSandbox two = LocalSandbox.builder(dir.resolve("two"), Launcher.current(Object.class, none)).build()) {
      PharosConfig c1 = ConfigLoader.parse(Files.readString(one.configFile()), one.env());
      PharosConfig c2 = ConfigLoader.parse(Files.readString(two.configFile()), two.env());
      assertThat(c1.controllerKeys().hasPublicKey()).as("what agents verify with").isTrue();
      assertThat(c1.controllerKeys().publicKey()).as("a new pair per sandbox").isNotEqualTo(c2.controllerKeys().publicKey());
      ControllerKeyConfig.SigningKey key = c1.controllerKeys().signingKey(f -> {
        try {
          return Files.readString(Path.of(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertThat(new ModeRecordSigner(key.privateKey(), key.publicKey()).keyId()).hasSize(16);
      Path file = Path.of(c1.controllerKeys().keyFile());
      assertThat(file).startsWith(dir.resolve("one"));
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(one.env()).as("the private key is in a file, not in every process's environment")
          .doesNotContainKey(ControllerKeyConfig.DEFAULT_KEY_ENV);
      assertThat(Files.readString(one.configFile())).doesNotContain("PRIVATE KEY");
    }
  }
}
