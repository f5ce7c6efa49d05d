package io.pharos.core.config;

import java.time.Duration;

/**
 * Report signing keys. The key bytes come from environment variables and never appear in
 * {@link #toString()}, logs or error messages.
 *
 * @param hmacKeyEnv environment variable holding the current key
 * @param hmacPreviousKeyEnv environment variable holding the previous key (rotation), optional
 * @param previousKeyGrace how long the previous key is still accepted after a controller starts
 * @param controllerKeyFile PEM file of the controllers' Ed25519 private key (controllers only), or
 *     null (then env {@link #CONTROLLER_KEY_ENV} may hold the PEM or base64)
 * @param controllerPublicKey the controllers' Ed25519 public key (signed audit anchors, mode
 *     records), or null when not configured
 */
public record SecurityConfig(
    String hmacKeyEnv, String hmacPreviousKeyEnv, Duration previousKeyGrace, byte[] key, byte[] previousKey,
    String controllerKeyFile, java.security.PublicKey controllerPublicKey) {
  /** Environment variable that may hold the controllers' private key (PEM or base64) instead of a file. */
  public static final String CONTROLLER_KEY_ENV = "PHAROS_CONTROLLER_KEY";

  public SecurityConfig(String hmacKeyEnv, String hmacPreviousKeyEnv, Duration previousKeyGrace, byte[] key,
      byte[] previousKey) {
    this(hmacKeyEnv, hmacPreviousKeyEnv, previousKeyGrace, key, previousKey, null, null);
  }

  public boolean hasPreviousKey() {
    return previousKey != null;
  }

  @Override
  public String toString() {
    return "SecurityConfig[hmacKeyEnv=" + hmacKeyEnv + ", hmacPreviousKeyEnv=" + hmacPreviousKeyEnv
        + ", previousKeyGrace=" + previousKeyGrace + ", key=<redacted>, previousKey="
        + (previousKey == null ? "none" : "<redacted>") + ", controllerKeyFile=" + controllerKeyFile
        + ", controllerPublicKey=" + (controllerPublicKey == null ? "none" : "set") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecurityConfig s
        && java.util.Objects.equals(hmacKeyEnv, s.hmacKeyEnv)
        && java.util.Objects.equals(hmacPreviousKeyEnv, s.hmacPreviousKeyEnv)
        && java.util.Objects.equals(previousKeyGrace, s.previousKeyGrace)
        && java.util.Arrays.equals(key, s.key)
        && java.util.Arrays.equals(previousKey, s.previousKey)
        && java.util.Objects.equals(controllerKeyFile, s.controllerKeyFile)
        && java.util.Objects.equals(controllerPublicKey, s.controllerPublicKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(hmacKeyEnv, hmacPreviousKeyEnv, previousKeyGrace);
  }
}
