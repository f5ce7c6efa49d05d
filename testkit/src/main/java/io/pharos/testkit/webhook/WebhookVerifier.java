package io.pharos.testkit.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiver's check of a Pharos webhook, as docs/webhooks.md shows it: JDK only, so that an
 * application can copy it. A delivery counts only if its {@code X-Pharos-Signature} is the
 * HMAC-SHA256, with this receiver's secret, of {@code <X-Pharos-Timestamp>.<raw body>}, and the
 * timestamp is within the tolerance of the receiver's clock (an old delivery replayed is refused).
 */
public final class WebhookVerifier {
  private final byte[] secret;
  private final long toleranceSeconds;

  public WebhookVerifier(byte[] secret, long toleranceSeconds) {
    this.secret = secret.clone();
    this.toleranceSeconds = toleranceSeconds;
  }

  /** Why a delivery is refused, or null when it is genuine. */
  public String problem(String timestampHeader, String signatureHeader, byte[] body, long nowSeconds) {
    if (timestampHeader == null || signatureHeader == null) {
      return "unsigned";
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return "bad timestamp";
    }
    if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
      return "stale timestamp";
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
      expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    // constant time: a timing difference must not tell a forger how much of the MAC was right
    boolean same = MessageDigest.isEqual(expected, signatureHeader.strip().getBytes(StandardCharsets.US_ASCII));
    return same ? null : "bad signature";
  }
}
