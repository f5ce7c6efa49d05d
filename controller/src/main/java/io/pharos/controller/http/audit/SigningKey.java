package io.pharos.controller.http.audit;

import io.pharos.core.config.SecurityConfig;
import io.pharos.core.security.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;

/**
 * The controllers' Ed25519 private key (secrets.md): the PEM file {@code security.controllerKeyFile},
 * or the PEM/base64 in env {@code PHAROS_CONTROLLER_KEY}. Its text never reaches a log or message.
 */
public final class SigningKey {
  private SigningKey() {}

  /**
   * @return the key, or null when neither the file nor the variable is set
   * @throws IllegalArgumentException when set but unreadable or not an Ed25519 private key
   */
  public static PrivateKey load(SecurityConfig security, Map<String, String> env) {
    String text;
    String from;
    if (security.controllerKeyFile() != null) {
      from = security.controllerKeyFile();
      try {
        text = Files.readString(Path.of(from));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read security.controllerKeyFile " + from + ": " + e.getMessage());
      }
    } else {
      from = "env " + SecurityConfig.CONTROLLER_KEY_ENV;
      text = env.get(SecurityConfig.CONTROLLER_KEY_ENV);
      if (text == null || text.isBlank()) {
        return null;
      }
    }
    try {
      return Ed25519.privateKey(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the controllers' key in " + from + " is " + e.getMessage());
    }
  }
}
