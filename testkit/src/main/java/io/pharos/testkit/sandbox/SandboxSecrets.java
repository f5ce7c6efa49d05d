package io.pharos.testkit.sandbox;

import io.pharos.core.api.RecoveryCodes;
import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.Pbkdf2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * The throwaway API secrets of one sandbox, made at its start under {@code <run>/secrets} (owner
 * only): a token per role (viewer for health checks and observers, operator for drills, admin for
 * tests that change membership; the operator and admin ones with a raised limit, as benchmarks
 * need), the tokens file the controllers read, break-glass codes and their hash file, and the
 * controllers' Ed25519 key pair. So every sandbox, drill and test runs the real checks. Token
 * values are also written one per file ({@code viewer.token}...) for a process that attaches.
 * Hashed with the lowest accepted PBKDF2 cost: they live as long as the sandbox.
 */
public record SandboxSecrets(Path dir, String viewer, String operator, String admin, List<String> breakGlassCodes,
    String controllerPublicKey) {
  /** Calls a minute the operator and admin tokens may make (drills and benches poll and post often). */
  public static final int RAISED_LIMIT = 6_000;
  static final String TOKENS = "api-tokens";
  static final String CODES = "breakglass-codes";
  static final String KEY = "controller-key.pem";

  static SandboxSecrets create(Path runDir) {
    SecureRandom random = new SecureRandom();
    Path dir = runDir.resolve("secrets");
    TokenFile.Issued viewer = TokenFile.issue("sandbox-viewer", Role.VIEWER, RAISED_LIMIT, Pbkdf2.MIN_ITERATIONS,
        random);
    TokenFile.Issued operator = TokenFile.issue("sandbox-operator", Role.OPERATOR, RAISED_LIMIT, Pbkdf2.MIN_ITERATIONS,
        random);
    TokenFile.Issued admin = TokenFile.issue("sandbox-admin", Role.ADMIN, RAISED_LIMIT, Pbkdf2.MIN_ITERATIONS, random);
    RecoveryCodes.Generated codes = RecoveryCodes.generate(3, Pbkdf2.MIN_ITERATIONS, random);
    KeyPair keys = Ed25519.generate();
    try {
      Files.createDirectories(dir);
      ownerOnly(dir, true);
      write(dir.resolve(TOKENS), List.of("# throwaway tokens of this sandbox (test-only, not secrets)", viewer.line(),
          operator.line(), admin.line()));
      write(dir.resolve(CODES), codes.lines());
      write(dir.resolve("breakglass-codes.txt"), codes.codes());
      write(dir.resolve(KEY), List.of(Ed25519.pem(keys.getPrivate())));
      write(dir.resolve("viewer.token"), List.of(viewer.token()));
      write(dir.resolve("operator.token"), List.of(operator.token()));
      write(dir.resolve("admin.token"), List.of(admin.token()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sandbox's secrets under " + dir, e);
    }
    return new SandboxSecrets(dir, viewer.token(), operator.token(), admin.token(), codes.codes(),
        Ed25519.base64(keys.getPublic()));
  }

  /** The tokens of a running sandbox, for a process that attaches to it (a drill runner). */
  public static SandboxSecrets read(Path dir) {
    try {
      return new SandboxSecrets(dir, token(dir, "viewer"), token(dir, "operator"), token(dir, "admin"),
          Files.readAllLines(dir.resolve("breakglass-codes.txt")), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sandbox's tokens under " + dir, e);
    }
  }

  private static String token(Path dir, String role) throws IOException {
    return Files.readString(dir.resolve(role + ".token")).strip();
  }

  /** The {@code api} and {@code security} sections of the sandbox config that name these files. */
  String yaml() {
    return "api:\n  tokensFile: \"" + dir.resolve(TOKENS) + "\"\n  breakGlass: { codesFile: \"" + dir.resolve(CODES)
        + "\" }\nsecurity:\n  controllerKeyFile: \"" + dir.resolve(KEY) + "\"\n  controllerPublicKey: "
        + controllerPublicKey + "\n";
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, lines);
    ownerOnly(file, false);
  }

  private static void ownerOnly(Path p, boolean directory) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the run directory's own permissions apply
    }
  }

  @Override
  public String toString() {
    return "SandboxSecrets[dir=" + dir + ", tokens=<redacted>]";
  }
}
