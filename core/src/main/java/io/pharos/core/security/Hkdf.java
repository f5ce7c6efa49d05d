package io.pharos.core.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): keys derived from one secret for one purpose each, so that a
 * derived key says nothing about the secret or about the keys for other purposes (the region keys
 * agents hold, DESIGN.md "Trust").
 */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /** Extract-then-expand: {@code length} bytes of key material for {@code info}. */
  public static byte[] derive(byte[] secret, byte[] salt, byte[] info, int length) {
    return expand(extract(salt, secret), info, length);
  }

  /** {@link #derive} with no salt and a text label as info. */
  public static byte[] derive(byte[] secret, String info, int length) {
    return derive(secret, new byte[0], info.getBytes(StandardCharsets.UTF_8), length);
  }

  static byte[] extract(byte[] salt, byte[] ikm) {
    byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    return hmac(s, ikm);
  }

  static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length <= 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF output length must be 1.." + 255 * HASH_LENGTH + ", was " + length);
    }
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int filled = 0;
    for (int i = 1; filled < length; i++) {
      byte[] input = new byte[t.length + info.length + 1];
      System.arraycopy(t, 0, input, 0, t.length);
      System.arraycopy(info, 0, input, t.length, info.length);
      input[input.length - 1] = (byte) i;
      t = hmac(prk, input);
      int n = Math.min(t.length, length - filled);
      System.arraycopy(t, 0, out, filled, n);
      filled += n;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JDK", e);
    }
  }
}
