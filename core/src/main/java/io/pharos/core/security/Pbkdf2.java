package io.pharos.core.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 from the JDK, for secrets stored hashed (API tokens, break-glass
 * codes). The stored form names everything needed to check it again:
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}, so the iteration count can
 * rise for new secrets while old ones still verify.
 */
public final class Pbkdf2 {
  public static final String SCHEME = "pbkdf2-sha256";
  /** Below this a stored hash is refused as too cheap to guess against. */
  public static final int MIN_ITERATIONS = 10_000;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private Pbkdf2() {}

  /** A parsed stored hash. */
  public record Stored(int iterations, byte[] salt, byte[] hash) {}

  /** Hashes {@code secret} with a fresh random salt. */
  public static String hash(String secret, int iterations, SecureRandom random) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS + ", was "
          + iterations);
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
        + b64.encodeToString(derive(secret, salt, iterations));
  }

  /**
   * Parses a stored hash.
   *
   * @throws IllegalArgumentException saying what is wrong (never echoing the text: it is a secret's hash)
   */
  public static Stored parse(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException("not a " + SCHEME + "$<iterations>$<salt>$<hash> value");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the iteration count is not a number");
    }
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("the iteration count must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS
          + ", was " + iterations);
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] hash = Base64.getDecoder().decode(parts[3]);
      if (salt.length < 8 || hash.length != HASH_BYTES) {
        throw new IllegalArgumentException("the salt must be at least 8 bytes and the hash " + HASH_BYTES + " bytes");
      }
      return new Stored(iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() != null && e.getMessage().startsWith("the salt") ? e.getMessage()
          : "the salt or hash is not base64");
    }
  }

  /** Whether {@code secret} is the one {@code stored} was made from (constant time in the hash compare). */
  public static boolean verify(String secret, Stored stored) {
    return MessageDigest.isEqual(stored.hash(), derive(secret, stored.salt(), stored.iterations()));
  }

  private static byte[] derive(String secret, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
