package io.pharos.testkit.sandbox;

import io.pharos.core.security.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * Throwaway secrets of one sandbox, generated at start under its run directory (secrets.md), so
 * that every sandbox, drill and test runs the real checks. Never printed.
 */
final class SandboxSecrets {
  static final String DIR = "secrets";
  static final String CONTROLLER_KEY_FILE = "controller-key.pem";

  private SandboxSecrets() {}

  /**
   * A new controllers' Ed25519 pair: the private key in {@code secrets/controller-key.pem} (mode 600,
   * read by the controllers), and the config's {@code security} lines that name it and the public key
   * (what the agents verify mode records with).
   */
  static String controllerKeys(Path runDir) throws IOException {
    KeyPair pair = Ed25519.generate();
    Path dir = Files.createDirectories(runDir.resolve(DIR));
    Path key = dir.resolve(CONTROLLER_KEY_FILE);
    Files.deleteIfExists(key);
    try {
      Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(key);
    }
    Files.writeString(key, Ed25519.pem(pair.getPrivate()));
    return "security:\n  controllerPublicKey: " + Ed25519.base64(pair.getPublic()) + "\n  controllerKeyFile: \""
        + key.toAbsolutePath() + "\"\n";
  }
}
