package io.pharos.testkit.sandbox;

import io.pharos.testkit.tls.TestPki;
import java.nio.file.Path;
import java.util.List;

/**
 * The sandbox's Raft TLS material, generated per run under {@code <run dir>/tls}: a throwaway CA
 * ({@code ca.crt}, {@code ca.key}) and one certificate per controller ({@code <id>.crt},
 * {@code <id>.key}) naming its id (CN) and its Raft host (SAN). So every sandbox, drill and crash
 * schedule runs Raft over mutual TLS, as production must. Test-only values, not secrets: they
 * exist only in the run directory and never appear in a log line.
 */
public final class SandboxTls {
  private final Path dir;
  private final TestPki.Authority ca;

  private SandboxTls(Path dir, TestPki.Authority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** Generates the CA and every controller's certificate. */
  static SandboxTls generate(Path runDir, List<SandboxRegion> regions) {
    Path dir = runDir.resolve("tls");
    TestPki.Authority ca = TestPki.authority("pharos-sandbox-ca (test-only)");
    ca.write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    for (SandboxRegion r : regions) {
      ca.issue(r.controllerId(), r.hosts().controller()).write(dir, r.controllerId());
    }
    return new SandboxTls(dir, ca);
  }

  /** The {@code controllers.tls} section of the sandbox config ({@code {id}} names each controller's files). */
  String yaml() {
    return "  tls: { certFile: \"" + dir.resolve("{id}.crt") + "\", keyFile: \"" + dir.resolve("{id}.key")
        + "\", caFile: \"" + caFile() + "\" }\n";
  }

  /** The CA certificate every controller trusts. */
  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  /**
   * The sandbox's CA, key included: what an attack test uses to play an insider of the wrong kind
   * (a certificate of the right CA that names no controller).
   */
  public TestPki.Authority authority() {
    return ca;
  }
}
