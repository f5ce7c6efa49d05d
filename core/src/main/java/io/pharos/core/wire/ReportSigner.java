package io.pharos.core.wire;

import io.pharos.core.model.Report;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the canonical report bytes. A signed frame is {@code body | mac(32)}. Verifies
 * with the current key and, during rotation, the previous one. Holds keys; never prints them.
 */
public final class ReportSigner {
  public static final int MAC_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final SecretKeySpec previousKey;
  private final ThreadLocal<Mac> currentMac;
  private final ThreadLocal<Mac> previousMac;

  public ReportSigner(byte[] key, byte[] previousKey) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("a signing key is required");
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.previousKey = previousKey == null ? null : new SecretKeySpec(previousKey, ALGORITHM);
    this.currentMac = macFor(this.key);
    this.previousMac = this.previousKey == null ? null : macFor(this.previousKey);
  }

  /** Which key verified a frame. */
  public enum KeyUsed {
    CURRENT,
    PREVIOUS,
    NONE
  }

  public byte[] sign(Report report) {
    byte[] body = ReportCodec.encode(report);
    byte[] frame = Arrays.copyOf(body, body.length + MAC_LENGTH);
    System.arraycopy(mac(key, body, 0, body.length), 0, frame, body.length, MAC_LENGTH);
    return frame;
  }

  /** Checks the MAC of a frame in constant time against the current, then the previous key. */
  public KeyUsed verify(byte[] frame) {
    if (frame.length <= MAC_LENGTH) {
      return KeyUsed.NONE;
    }
    int bodyLength = frame.length - MAC_LENGTH;
    byte[] given = Arrays.copyOfRange(frame, bodyLength, frame.length);
    if (MessageDigest.isEqual(given, mac(key, frame, 0, bodyLength))) {
      return KeyUsed.CURRENT;
    }
    if (previousKey != null && MessageDigest.isEqual(given, mac(previousKey, frame, 0, bodyLength))) {
      return KeyUsed.PREVIOUS;
    }
    return KeyUsed.NONE;
  }

  private byte[] mac(SecretKeySpec k, byte[] data, int off, int len) {
    Mac mac = (k == key ? currentMac : previousMac).get();
    mac.update(data, off, len);
    return mac.doFinal();
  }

  /** One initialised Mac per thread and key: creating one costs more than signing a report. */
  private static ThreadLocal<Mac> macFor(SecretKeySpec k) {
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(k);
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HMAC-SHA256 is not available", e);
      }
    });
  }

  @Override
  public String toString() {
    return "ReportSigner[key=<redacted>, previousKey=" + (previousKey == null ? "none" : "<redacted>") + "]";
  }
}
