package io.pharos.controller;

import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.api.RecoveryCodes;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.Pbkdf2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * Throwaway API secrets for in-process controllers (test-only, not secrets): a token per role in a
 * tokens file, break-glass codes and their hash file, the controllers' key pair; and the YAML that
 * names them.
 */
record TestSecrets(String viewer, String operator, String admin, List<String> codes, String yaml) {
  static TestSecrets write(Path dir) {
    SecureRandom random = new SecureRandom();
    TokenFile.Issued viewer = TokenFile.issue("test-viewer", Role.VIEWER, null, Pbkdf2.MIN_ITERATIONS, random);
    TokenFile.Issued operator = TokenFile.issue("test-operator", Role.OPERATOR, null, Pbkdf2.MIN_ITERATIONS, random);
    TokenFile.Issued admin = TokenFile.issue("test-admin", Role.ADMIN, 6_000, Pbkdf2.MIN_ITERATIONS, random);
    RecoveryCodes.Generated codes = RecoveryCodes.generate(3, Pbkdf2.MIN_ITERATIONS, random);
    KeyPair keys = Ed25519.generate();
    try {
      Files.createDirectories(dir);
      Path tokens = dir.resolve("api-tokens");
      Path codeFile = dir.resolve("breakglass-codes");
      Path key = dir.resolve("controller-key.pem");
      Files.write(tokens, List.of(viewer.line(), operator.line(), admin.line()));
      Files.write(codeFile, codes.lines());
      Files.writeString(key, Ed25519.pem(keys.getPrivate()));
      String yaml = "api:\n  tokensFile: \"" + tokens + "\"\n  breakGlass: { codesFile: \"" + codeFile
          + "\", grant: 15m }\n  audit: { retain: 20 }\nsecurity:\n  controllerKeyFile: \"" + key
          + "\"\n  controllerPublicKey: " + Ed25519.base64(keys.getPublic()) + "\n";
      return new TestSecrets(viewer.token(), operator.token(), admin.token(), codes.codes(), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
