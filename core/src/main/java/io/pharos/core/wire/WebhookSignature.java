package io.pharos.core.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook delivery is signed: HMAC-SHA256 with the receiver's own secret over
 * {@code <timestamp>.<body>} (the timestamp header's value, a dot, the raw body bytes), sent as
 * {@value #SIGNATURE_HEADER}{@code : sha256=<lower-case hex>}. The timestamp (Unix seconds, in
 * {@value #TIMESTAMP_HEADER}) is covered so that a receiver can refuse an old delivery replayed.
 * docs/webhooks.md shows a receiver's check.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Pharos-Signature";
  public static final String TIMESTAMP_HEADER = "X-Pharos-Timestamp";
  /** The mode's fencing token, {@code term:index}, also in the body; a convenience for routing. */
  public static final String TOKEN_HEADER = "X-Pharos-Token";
  public static final String DELIVERY_HEADER = "X-Pharos-Delivery";
  public static final String PREFIX = "sha256=";
  /** Shortest secret accepted: 16 bytes. */
  public static final int MIN_SECRET_BYTES = 16;

  private WebhookSignature() {}

  /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code timestampSeconds}. */
  public static String sign(byte[] secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return PREFIX + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }
}
