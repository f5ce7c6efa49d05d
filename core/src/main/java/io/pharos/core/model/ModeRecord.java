package io.pharos.core.model;


/**
 * A region's mode as the controllers decided it, with the token of that decision. Receivers keep
 * the record with the highest token and ignore older ones.
 *
 * @param region the region
 * @param mode read-write or read-only
 * @param token token of the committed decision that set it
 * @param leaseMillis how long a receiver may trust this record without hearing it again
 * @param reason why, for people
 */
public record ModeRecord(String region, Mode mode, FencingToken token, long leaseMillis, String reason)
 {

  /** Whether {@code next} may replace this record: only a newer token, or the same token renewed. */
  public boolean acceptsReplacement(ModeRecord next) {
    return !token.isNewerThan(next.token());
  }
}
