package io.pharos.core.journal;

/**
 * Which report key generations of one region the controllers accept, as the journal says.
 *
 * @param generation the current generation (1 until the first rotation)
 * @param previousValidUntil epoch millis until which generation - 1 is still accepted (0: not at all)
 * @param rotatedAt when the current generation began (0 for the initial one)
 */
public record RegionKeyState(int generation, long previousValidUntil, long rotatedAt) {
  /** Every region starts here: generation 1, nothing before it. */
  public static final RegionKeyState INITIAL = new RegionKeyState(1, 0, 0);

  /** Whether {@code generation - 1} is still accepted at {@code now}. */
  public boolean previousAccepted(long now) {
    return generation > 1 && now <= previousValidUntil;
  }
}
