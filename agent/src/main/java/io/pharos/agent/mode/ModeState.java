package io.pharos.agent.mode;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.wire.ModeRecordVerifier;
import java.util.EnumMap;
import java.util.Map;

/**
 * The agent's view of its region's mode: the validly signed record with the highest fencing token
 * seen, and a lease on it. Only a record the controllers signed (see {@link ModeRecordVerifier})
 * changes anything: an unsigned or badly signed one is rejected and counted, whatever token it
 * claims, so nobody who can merely write to the data plane can fence a region or pin it. Fencing
 * at the receiver: an older token is ignored and counted (a deposed leader's late write cannot
 * undo a newer decision). The same token renews the lease only when issued later (a newer leader's
 * term, or a later renewal): a replayed copy renews nothing, so replaying the last record cannot
 * keep a cut-off region from self-fencing.
 *
 * <p>The lease runs on the agent's monotonic clock from the moment a record was received; agent
 * and controller wall clocks are never compared. When it runs out and this region is the write
 * primary with {@code selfFence} on, the answer is read-only: an isolated primary stops taking
 * writes by itself. Before any record, the write primary is read-only too ("no mode lease yet").
 *
 * <p>Thread-safe.
 */
public final class ModeState {
  static final String NO_LEASE_YET = "no mode lease yet";
  static final String LEASE_EXPIRED = "mode lease expired: self-fenced";

  /** What became of an offered record. */
  public enum Offer {
    ACCEPTED,
    RENEWED,
    IGNORED_OLDER,
    /** The same decision and issue again (it arrives by broadcast and from the mailbox; or a replay). */
    IGNORED_DUPLICATE,
    IGNORED_OTHER_REGION,
    REJECTED_UNSIGNED,
    REJECTED_UNKNOWN_KEY,
    REJECTED_BAD_SIGNATURE,
    REJECTED_OTHER_GROUP;

    public boolean rejected() {
      return name().startsWith("REJECTED");
    }
  }

  private final String region;
  private final boolean selfFencing;
  private final long defaultLeaseMillis;
  private final Ticker ticker;
  private final ModeRecordVerifier verifier;
  private final Map<Offer, Long> counts = new EnumMap<>(Offer.class);
  private SignedModeRecord record;
  private long receivedAtMillis;
  /** The highest term any record taken was issued in, and how many were taken issued in a lower one. */
  private long highestIssuedTerm;
  private long takenFromOlderTerm;

  /**
   * @param writePrimary whether this region is the policy's write primary
   * @param selfFence the policy's {@code selfFence}
   * @param defaultLeaseMillis lease for a record that carries none ({@code policy.modeLease})
   * @param verifier whose signatures count (the controllers' public keys)
   */
  public ModeState(String region, boolean writePrimary, boolean selfFence, long defaultLeaseMillis, Ticker ticker,
      ModeRecordVerifier verifier) {
    this.region = region;
    this.selfFencing = writePrimary && selfFence;
    this.defaultLeaseMillis = defaultLeaseMillis;
    this.ticker = ticker;
    this.verifier = verifier;
  }

  public synchronized Offer offer(SignedModeRecord signed) {
    Offer o = judge(signed);
    counts.merge(o, 1L, Long::sum);
    if (o == Offer.ACCEPTED || o == Offer.RENEWED) {
      record = signed;
      receivedAtMillis = ticker.millis();
      long term = signed.record().issuedTerm();
      if (term < highestIssuedTerm) {
        takenFromOlderTerm++;
      }
      highestIssuedTerm = Math.max(highestIssuedTerm, term);
    }
    return o;
  }

  private Offer judge(SignedModeRecord signed) {
    ModeRecord next = signed.record();
    if (!region.equals(next.region())) {
      return Offer.IGNORED_OTHER_REGION;
    }
    ModeRecord.Relation relation = record == null ? ModeRecord.Relation.NEWER_TOKEN
        : record.record().relationOf(next);
    if (relation == ModeRecord.Relation.NOT_NEWER) {
      // nothing to change: no need to spend a signature check on it
      return next.token().equals(record.record().token()) ? Offer.IGNORED_DUPLICATE : Offer.IGNORED_OLDER;
    }
    return switch (verifier.verify(signed)) {
      case VALID -> relation == ModeRecord.Relation.RENEWAL ? Offer.RENEWED : Offer.ACCEPTED;
      case UNSIGNED -> Offer.REJECTED_UNSIGNED;
      case UNKNOWN_KEY -> Offer.REJECTED_UNKNOWN_KEY;
      case BAD_SIGNATURE -> Offer.REJECTED_BAD_SIGNATURE;
      case OTHER_GROUP -> Offer.REJECTED_OTHER_GROUP;
    };
  }

  public synchronized ModeView view() {
    if (record == null) {
      return selfFencing
          ? new ModeView(region, Mode.READ_ONLY, FencingToken.NONE, NO_LEASE_YET, 0, true, null)
          : new ModeView(region, Mode.READ_WRITE, FencingToken.NONE, "no mode record yet", 0, false, null);
    }
    ModeRecord r = record.record();
    long lease = r.leaseMillis() > 0 ? r.leaseMillis() : defaultLeaseMillis;
    long remaining = Math.max(0, receivedAtMillis + lease - ticker.millis());
    if (remaining == 0 && selfFencing) {
      return new ModeView(region, Mode.READ_ONLY, r.token(), LEASE_EXPIRED, 0, true, record);
    }
    return new ModeView(region, r.mode(), r.token(), r.reason(), remaining, false, record);
  }

  /** Records ignored because their token was older than the one held. */
  public synchronized long ignoredOlder() {
    return count(Offer.IGNORED_OLDER);
  }

  /**
   * Records taken (a new token or a renewal) though issued in a lower term than one taken before:
   * a deposed leader's record taking effect after its successor's. The rules above never allow it
   * (a deposed leader holds no token newer than its successor's, and the same token issued in a
   * lower term is not newer), so this stays 0; a crash test reads it as the receivers' evidence
   * that a paused leader's late broadcasts were refused.
   */
  public synchronized long takenFromOlderTerm() {
    return takenFromOlderTerm;
  }

  /** Records accepted (new tokens and renewals). */
  public synchronized long accepted() {
    return count(Offer.ACCEPTED) + count(Offer.RENEWED);
  }

  /** Records refused because the controllers did not sign them (unsigned, unknown key, bad signature, other group). */
  public synchronized long rejected() {
    return counts.entrySet().stream().filter(e -> e.getKey().rejected()).mapToLong(Map.Entry::getValue).sum();
  }

  /** How many offers ended in {@code o}. */
  public synchronized long count(Offer o) {
    return counts.getOrDefault(o, 0L);
  }
}
