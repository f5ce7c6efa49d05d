package io.pharos.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A region's mode as the controllers decided it, with the token of that decision, as the acting
 * leader publishes it (signed, see {@link SignedModeRecord}). Receivers keep the record with the
 * highest token; for the same token, only a later issue renews the lease (a replayed copy does not).
 *
 * @param group the controllers' group ({@code controllers.group}): a record of another Pharos
 *     deployment that shares the key is not one of ours
 * @param region the region
 * @param mode read-write or read-only
 * @param token token of the committed decision that set it
 * @param leaseMillis how long a receiver may trust this record without hearing it again
 * @param issuedTerm the Raft term of the leader that published it (a renewal by a newer leader
 *     always counts as later, whatever the two leaders' clocks say)
 * @param issuedAtMillis the publishing leader's wall clock; only orders renewals within one term
 * @param reason why, for people
 */
public record ModeRecord(String group, String region, Mode mode, FencingToken token, long leaseMillis,
    long issuedTerm, long issuedAtMillis, String reason) {

  /** First line of the signed bytes: names what is signed and the layout's version. */
  public static final String CANONICAL_PREFIX = "pharos-mode-record/v1";

  public ModeRecord {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(token, "token");
    reason = reason == null ? "" : reason;
    if (leaseMillis < 0 || issuedTerm < 0) {
      throw new IllegalArgumentException("leaseMillis and issuedTerm must not be negative");
    }
    if (group.indexOf('\n') >= 0 || region.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("group and region must be one line");
    }
  }

  /** How a received record relates to the one held. */
  public enum Relation {
    /** A newer decision: adopt it. */
    NEWER_TOKEN,
    /** The same decision issued later: renew the lease. */
    RENEWAL,
    /** An older decision, or the same issue again (a duplicate or a replay): ignore it. */
    NOT_NEWER
  }

  /** What {@code next} is to this record (the one held). */
  public Relation relationOf(ModeRecord next) {
    int t = next.token.compareTo(token);
    if (t != 0) {
      return t > 0 ? Relation.NEWER_TOKEN : Relation.NOT_NEWER;
    }
    int issue = next.issuedTerm != issuedTerm ? Long.compare(next.issuedTerm, issuedTerm)
        : Long.compare(next.issuedAtMillis, issuedAtMillis);
    return issue > 0 ? Relation.RENEWAL : Relation.NOT_NEWER;
  }

  /**
   * The bytes the controllers sign, one field per line in this order, the reason last (it may hold
   * anything): {@value #CANONICAL_PREFIX}, group, region, mode label, token {@code term:index},
   * leaseMillis, issuedTerm, issuedAtMillis, keyId, reason. UTF-8, lines separated by {@code \n}.
   * Applications that verify a record from {@code /v1/mode} rebuild exactly this.
   */
  public byte[] canonicalBytes(String keyId) {
    if (keyId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("keyId must be one line");
    }
    String s = CANONICAL_PREFIX + '\n' + group + '\n' + region + '\n' + mode.label() + '\n' + token + '\n'
        + leaseMillis + '\n' + issuedTerm + '\n' + issuedAtMillis + '\n' + keyId + '\n' + reason;
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
