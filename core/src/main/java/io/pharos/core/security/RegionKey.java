package io.pharos.core.security;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key the agents of one region sign their reports with, at one generation. Derived by the
 * controllers from their master secret ({@link MasterSecret#regionKey}); agents hold only their own
 * region's key, as one self-describing line that {@code pharos keys derive} prints and the agent
 * reads from {@code PHAROS_REGION_KEY}:
 *
 * <pre>pharos-region-key:v1:&lt;region&gt;:&lt;generation&gt;:&lt;base64url of 32 bytes&gt;</pre>
 *
 * so an agent always knows which region and generation its key is for, and a key pasted into the
 * wrong region's agents is refused at start instead of failing every report. The key bytes never
 * appear in {@link #toString()}.
 */
public final class RegionKey {
  public static final int LENGTH = 32;
  static final String PREFIX = "pharos-region-key:v1:";
  private static final Pattern TEXT = Pattern.compile(
      Pattern.quote(PREFIX) + "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?):([1-9][0-9]{0,8}):([A-Za-z0-9_-]{43})");

  private final String region;
  private final int generation;
  private final byte[] key;

  public RegionKey(String region, int generation, byte[] key) {
    this.region = Objects.requireNonNull(region, "region");
    if (generation < 1) {
      throw new IllegalArgumentException("a key generation is at least 1, was " + generation);
    }
    if (key == null || key.length != LENGTH) {
      throw new IllegalArgumentException("a region key is " + LENGTH + " bytes");
    }
    this.generation = generation;
    this.key = key.clone();
  }

  /**
   * Reads the line {@link #format()} writes. The message never repeats the text (it is a secret).
   *
   * @throws IllegalArgumentException when it is not a region key line
   */
  public static RegionKey parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a region key (expected " + PREFIX
          + "<region>:<generation>:<key>, as `pharos keys derive --region R` prints it)");
    }
    byte[] bytes = Base64.getUrlDecoder().decode(m.group(4));
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("not a region key: the key part is not " + LENGTH + " bytes");
    }
    return new RegionKey(m.group(1), Integer.parseInt(m.group(3)), bytes);
  }

  /** The line agents are given: region, generation and key. It is a secret: never log it. */
  public String format() {
    return PREFIX + region + ":" + generation + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }

  public String region() {
    return region;
  }

  public int generation() {
    return generation;
  }

  /** A copy of the key bytes. */
  public byte[] bytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegionKey k && k.region.equals(region) && k.generation == generation
        && MessageDigest.isEqual(k.key, key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, generation);
  }

  @Override
  public String toString() {
    return "RegionKey[region=" + region + ", generation=" + generation + ", key=<redacted>]";
  }
}
