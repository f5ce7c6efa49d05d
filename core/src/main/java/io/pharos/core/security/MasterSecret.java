package io.pharos.core.security;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The controllers' master secret: the root every region's report key is derived from, so that
 * controllers hold one secret and agents only their own region's key (DESIGN.md "Trust"). Other
 * controller-only keys derive from it with their own label ({@code "pharos/<purpose>/v1"}) and
 * never reuse a region key. Never printed.
 */
public final class MasterSecret {
  /** Shorter secrets are refused: the region keys are only as strong as this. */
  public static final int MIN_LENGTH = 32;
  static final String REGION_KEY_LABEL = "pharos/region-key/v1/";

  private final byte[] secret;

  private MasterSecret(byte[] secret) {
    this.secret = secret;
  }

  /**
   * The secret as its UTF-8 bytes (e.g. {@code openssl rand -hex 32}).
   *
   * @throws IllegalArgumentException when shorter than {@value #MIN_LENGTH} bytes (the message
   *     does not repeat it)
   */
  public static MasterSecret of(String text) {
    byte[] b = Objects.requireNonNull(text, "secret").getBytes(StandardCharsets.UTF_8);
    if (b.length < MIN_LENGTH) {
      throw new IllegalArgumentException("the master secret is too short (" + b.length + " bytes; at least "
          + MIN_LENGTH + ", e.g. `openssl rand -hex 32`)");
    }
    return new MasterSecret(b);
  }

  /**
   * Region {@code region}'s report key at {@code generation}: HKDF-SHA256 of the secret with the
   * info {@code "pharos/region-key/v1/<region>/<generation>"}, 32 bytes.
   */
  public RegionKey regionKey(String region, int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("a key generation is at least 1, was " + generation);
    }
    return new RegionKey(region, generation, Hkdf.derive(secret, REGION_KEY_LABEL + region + "/" + generation,
        RegionKey.LENGTH));
  }

  /** A controller-only key for {@code purpose} (label {@code "pharos/<purpose>/v1"}). */
  public byte[] purposeKey(String purpose, int length) {
    if (purpose.startsWith("region-key")) {
      throw new IllegalArgumentException("'" + purpose + "' would collide with the region keys' label");
    }
    return Hkdf.derive(secret, "pharos/" + purpose + "/v1", length);
  }

  @Override
  public String toString() {
    return "MasterSecret[<redacted>]";
  }
}
