package io.pharos.testkit.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllersConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.NodeCommands;
import io.pharos.testkit.tls.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sandbox runs Raft over mutual TLS: its config names a certificate per controller from a throwaway CA. */
class SandboxTlsTest {
  private static final NodeCommands NODES = new NodeCommands() {
    @Override
    public List<String> app(String listen, String region) {
      return List.of();
    }

    @Override
    public List<String> controller(Path config, String id, Path dataDir) {
      return List.of();
    }

    @Override
    public List<String> agent(Path config, String region, String id, String listen) {
      return List.of();
    }
  };

  @TempDir
  Path dir;

  @Test
  void theSandboxConfigTurnsTlsOnWithACertificatePerControllerNamingItsIdAndRaftHost() throws Exception {
    try (LocalSandbox sandbox = LocalSandbox.builder(dir, Launcher.ofCodeSource(SandboxTlsTest.class, NODES))
        .build()) {
      PharosConfig config = ConfigLoader.parse(Files.readString(sandbox.configFile()), sandbox.env());
      ControllersConfig c = config.controllers();
      assertThat(c.tls()).isNotNull();
      assertThat(c.insecurePlaintext()).isFalse();
      X509Certificate ca = TestPki.readCertificate(sandbox.tls().caFile());
      for (SandboxRegion r : sandbox.regions()) {
        ControllersConfig.Tls own = c.tls().forController(r.controllerId());
        X509Certificate cert = TestPki.readCertificate(Path.of(own.certFile()));
        cert.verify(ca.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + r.controllerId());
        assertThat(cert.getSubjectAlternativeNames()).anyMatch(san -> r.hosts().controller().equals(san.get(1)));
        assertThat(Path.of(own.keyFile())).exists();
        assertThat(sandbox.raftAddresses().get(r.controllerId()).port()).isEqualTo(r.raftPort());
      }
      assertThat(sandbox.raftGroup()).isEqualTo(c.group());
    }
  }
}
