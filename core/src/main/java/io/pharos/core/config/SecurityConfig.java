package io.pharos.core.config;

import java.time.Duration;

/**
 * Report signing keys. The key bytes come from environment variables and never appear in
 * {@link #toString()}, logs or error messages.
 *
 * @param hmacKeyEnv environment variable holding the current key
 * @param hmacPreviousKeyEnv environment variable holding the previous key (rotation), optional
 * @param previousKeyGrace how long the previous key is still accepted after a controller starts
 */
public record SecurityConfig(
    String hmacKeyEnv, String hmacPreviousKeyEnv, Duration previousKeyGrace, byte[] key, byte[] previousKey) {

  public boolean hasPreviousKey() {
    return previousKey != null;
  }

  @Override
  public String toString() {
    return "SecurityConfig[hmacKeyEnv=" + hmacKeyEnv + ", hmacPreviousKeyEnv=" + hmacPreviousKeyEnv
        + ", previousKeyGrace=" + previousKeyGrace + ", key=<redacted>, previousKey="
        + (previousKey == null ? "none" : "<redacted>") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecurityConfig s
        && java.util.Objects.equals(hmacKeyEnv, s.hmacKeyEnv)
        && java.util.Objects.equals(hmacPreviousKeyEnv, s.hmacPreviousKeyEnv)
        && java.util.Objects.equals(previousKeyGrace, s.previousKeyGrace)
        && java.util.Arrays.equals(key, s.key)
        && java.util.Arrays.equals(previousKey, s.previousKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(hmacKeyEnv, hmacPreviousKeyEnv, previousKeyGrace);
  }
}
