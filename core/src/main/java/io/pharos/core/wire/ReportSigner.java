package io.pharos.core.wire;

import io.pharos.core.model.Report;
import io.pharos.core.security.RegionKey;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the canonical report bytes with one region's key at one generation. A signed
 * frame is {@code body | mac(32)}. Agents sign with their region's key; a controller holds one
 * signer per region and generation it accepts. Thread-safe (one {@link Mac} per thread); holds a
 * key and never prints it.
 */
public final class ReportSigner {
  public static final int MAC_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final String region;
  private final int generation;
  private final ThreadLocal<Mac> mac;

  public ReportSigner(RegionKey key) {
    this.region = key.region();
    this.generation = key.generation();
    SecretKeySpec spec = new SecretKeySpec(key.bytes(), ALGORITHM);
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance(ALGORITHM);
        m.init(spec);
        return m;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HMAC-SHA256 is not available", e);
      }
    });
  }

  public String region() {
    return region;
  }

  public int generation() {
    return generation;
  }

  /**
   * @throws IllegalArgumentException when the report names another region or key generation than
   *     this signer's key (it would be refused)
   */
  public byte[] sign(Report report) {
    if (!report.region().equals(region) || report.keyGeneration() != generation) {
      throw new IllegalArgumentException("a report of region '" + report.region() + "' generation "
          + report.keyGeneration() + " cannot be signed with the key of region '" + region + "' generation "
          + generation);
    }
    byte[] body = ReportCodec.encode(report);
    byte[] frame = Arrays.copyOf(body, body.length + MAC_LENGTH);
    System.arraycopy(mac(body, 0, body.length), 0, frame, body.length, MAC_LENGTH);
    return frame;
  }

  /** Whether the frame's MAC is this key's over its body (constant-time compare). */
  public boolean verify(byte[] frame) {
    if (frame.length <= MAC_LENGTH) {
      return false;
    }
    int bodyLength = frame.length - MAC_LENGTH;
    byte[] given = Arrays.copyOfRange(frame, bodyLength, frame.length);
    return MessageDigest.isEqual(given, mac(frame, 0, bodyLength));
  }

  private byte[] mac(byte[] data, int off, int len) {
    Mac m = mac.get();
    m.update(data, off, len);
    return m.doFinal();
  }

  @Override
  public String toString() {
    return "ReportSigner[region=" + region + ", generation=" + generation + ", key=<redacted>]";
  }
}
