package io.pharos.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;

/**
 * Names and checks for the controllers' Ed25519 key (secrets.md): the key id that signed records
 * carry, and whether a private key belongs to a public one. Pure.
 */
public final class ControllerKeys {
  private static final byte[] PAIR_CHECK = "pharos/controller-key-pair-check/v1".getBytes(StandardCharsets.UTF_8);

  private ControllerKeys() {}

  /**
   * A short public name for {@code key}: the first 8 bytes of SHA-256 over its X.509 encoding, in
   * hex (16 characters). It says which key signed, so a receiver holding the current and the
   * previous key during a rotation knows which to try; it is not a secret and proves nothing alone.
   */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  /** Whether {@code privateKey} makes signatures that {@code publicKey} verifies. */
  public static boolean pairs(PrivateKey privateKey, PublicKey publicKey) {
    try {
      return Ed25519.verify(publicKey, PAIR_CHECK, Ed25519.sign(privateKey, PAIR_CHECK));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
