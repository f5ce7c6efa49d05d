package io.pharos.agent.mode;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;

/**
 * The agent's view of its region's mode: the record with the highest fencing token seen, and a
 * lease on it. Fencing at the receiver: a record with an older token is ignored and counted (a
 * deposed leader's late write cannot undo a newer decision). The same token seen again renews
 * the lease.
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
    IGNORED_OTHER_REGION
  }

  private final String region;
  private final boolean selfFencing;
  private final long defaultLeaseMillis;
  private final Ticker ticker;
  private ModeRecord record;
  private long receivedAtMillis;
  private long ignoredOlder;
  private long accepted;

  /**
   * @param writePrimary whether this region is the policy's write primary
   * @param selfFence the policy's {@code selfFence}
   * @param defaultLeaseMillis lease for a record that carries none ({@code policy.modeLease})
   */
  public ModeState(String region, boolean writePrimary, boolean selfFence, long defaultLeaseMillis, Ticker ticker) {
    this.region = region;
    this.selfFencing = writePrimary && selfFence;
    this.defaultLeaseMillis = defaultLeaseMillis;
    this.ticker = ticker;
  }

  public synchronized Offer offer(ModeRecord next) {
    if (!region.equals(next.region())) {
      return Offer.IGNORED_OTHER_REGION;
    }
    if (record != null && !record.acceptsReplacement(next)) {
      ignoredOlder++;
      return Offer.IGNORED_OLDER;
    }
    boolean renewal = record != null && record.token().equals(next.token());
    record = next;
    receivedAtMillis = ticker.millis();
    accepted++;
    return renewal ? Offer.RENEWED : Offer.ACCEPTED;
  }

  public synchronized ModeView view() {
    if (record == null) {
      return selfFencing
          ? new ModeView(region, Mode.READ_ONLY, FencingToken.NONE, NO_LEASE_YET, 0, true)
          : new ModeView(region, Mode.READ_WRITE, FencingToken.NONE, "no mode record yet", 0, false);
    }
    long lease = record.leaseMillis() > 0 ? record.leaseMillis() : defaultLeaseMillis;
    long remaining = Math.max(0, receivedAtMillis + lease - ticker.millis());
    if (remaining == 0 && selfFencing) {
      return new ModeView(region, Mode.READ_ONLY, record.token(), LEASE_EXPIRED, 0, true);
    }
    return new ModeView(region, record.mode(), record.token(), record.reason(), remaining, false);
  }

  /** Records ignored because their token was older than the one held. */
  public synchronized long ignoredOlder() {
    return ignoredOlder;
  }

  /** Records accepted (new tokens and renewals). */
  public synchronized long accepted() {
    return accepted;
  }
}
