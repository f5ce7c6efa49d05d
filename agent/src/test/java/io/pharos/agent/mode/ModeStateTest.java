package io.pharos.agent.mode;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeRecordSigner;
import io.pharos.core.wire.ModeRecordVerifier;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ModeStateTest {
  // throwaway pairs generated per run: test-only, not secrets
  static final KeyPair CONTROLLERS = Ed25519.generate();
  static final KeyPair OUTSIDER = Ed25519.generate();
  static final ModeRecordSigner SIGNER = new ModeRecordSigner(CONTROLLERS.getPrivate(), CONTROLLERS.getPublic());
  static final ModeRecordVerifier VERIFIER = new ModeRecordVerifier("pharos", List.of(CONTROLLERS.getPublic()));
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final Ticker ticker = nanos::get;
  final AtomicLong issue = new AtomicLong(1_000);

  void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  ModeState state(String region, boolean primary, boolean selfFence) {
    return new ModeState(region, primary, selfFence, 15_000, ticker, VERIFIER);
  }

  /** A record as the leader of {@code term} issues it now (every call issues later). */
  ModeRecord rec(String region, Mode mode, long term, long index, long lease) {
    return new ModeRecord("pharos", region, mode, new FencingToken(term, index), lease, term,
        issue.incrementAndGet(), "because " + term + ":" + index);
  }

  SignedModeRecord signed(String region, Mode mode, long term, long index, long lease) {
    return SIGNER.sign(rec(region, mode, term, index, lease));
  }

  @Test
  void the_write_primary_is_read_only_until_it_holds_a_lease() {
    ModeView v = state("a", true, true).view();
    assertThat(v.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(v.reason()).isEqualTo("no mode lease yet");
    assertThat(v.selfFenced()).isTrue();
    assertThat(v.token()).isEqualTo(FencingToken.NONE);
    assertThat(v.record()).isNull();
  }

  @Test
  void other_regions_and_a_primary_without_self_fencing_are_read_write_before_any_record() {
    assertThat(state("b", false, true).view().mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(state("a", true, false).view().mode()).isEqualTo(Mode.READ_WRITE);
  }

  @Test
  void keeps_the_highest_token_and_ignores_older_ones() {
    ModeState s = state("a", true, true);
    assertThat(s.offer(signed("a", Mode.READ_WRITE, 1, 1, 10_000))).isEqualTo(ModeState.Offer.ACCEPTED);
    SignedModeRecord fence = signed("a", Mode.READ_ONLY, 2, 5, 10_000);
    assertThat(s.offer(fence)).isEqualTo(ModeState.Offer.ACCEPTED);
    assertThat(s.offer(signed("a", Mode.READ_WRITE, 1, 9, 10_000))).isEqualTo(ModeState.Offer.IGNORED_OLDER);
    assertThat(s.offer(signed("b", Mode.READ_WRITE, 9, 9, 10_000))).isEqualTo(ModeState.Offer.IGNORED_OTHER_REGION);
    ModeView v = s.view();
    assertThat(v.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(v.token()).isEqualTo(new FencingToken(2, 5));
    assertThat(v.selfFenced()).isFalse();
    assertThat(v.record()).as("the evidence an application can verify").isEqualTo(fence);
    assertThat(s.ignoredOlder()).isEqualTo(1);
  }

  @Test
  void a_record_the_controllers_did_not_sign_changes_nothing_whatever_token_it_claims() {
    ModeState s = state("a", true, true);
    SignedModeRecord real = signed("a", Mode.READ_WRITE, 3, 4, 10_000);
    s.offer(real);
    ModeRecord huge = new ModeRecord("pharos", "a", Mode.READ_ONLY, new FencingToken(999_999, 1), 600_000, 999_999,
        0, "outsider");
    assertThat(s.offer(SignedModeRecord.unsigned(huge))).isEqualTo(ModeState.Offer.REJECTED_UNSIGNED);
    assertThat(s.offer(new ModeRecordSigner(OUTSIDER.getPrivate(), OUTSIDER.getPublic()).sign(huge)))
        .isEqualTo(ModeState.Offer.REJECTED_UNKNOWN_KEY);
    assertThat(s.offer(new SignedModeRecord(huge, real.keyId(), Ed25519.sign(OUTSIDER.getPrivate(),
        huge.canonicalBytes(real.keyId()))))).isEqualTo(ModeState.Offer.REJECTED_BAD_SIGNATURE);
    assertThat(s.offer(new SignedModeRecord(huge, real.keyId(), real.signature())))
        .as("a real signature moved onto a forged record").isEqualTo(ModeState.Offer.REJECTED_BAD_SIGNATURE);
    assertThat(s.offer(SIGNER.sign(new ModeRecord("staging", "a", Mode.READ_ONLY, new FencingToken(999_999, 1),
        600_000, 999_999, 0, "another deployment with our key")))).isEqualTo(ModeState.Offer.REJECTED_OTHER_GROUP);
    assertThat(s.rejected()).isEqualTo(5);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(s.view().token()).isEqualTo(new FencingToken(3, 4));

    SignedModeRecord realFence = signed("a", Mode.READ_ONLY, 4, 1, 10_000);
    assertThat(s.offer(realFence)).as("the real fence after the forgeries lands").isEqualTo(ModeState.Offer.ACCEPTED);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(s.view().token()).isEqualTo(new FencingToken(4, 1));
  }

  @Test
  void a_forged_first_record_cannot_pin_a_fresh_agent() {
    ModeState s = state("b", false, true);
    ModeRecord huge = new ModeRecord("pharos", "b", Mode.READ_ONLY, new FencingToken(999_999, 1), 600_000, 999_999,
        0, "outsider");
    assertThat(s.offer(SignedModeRecord.unsigned(huge))).isEqualTo(ModeState.Offer.REJECTED_UNSIGNED);
    assertThat(s.view().mode()).as("still nothing trusted").isEqualTo(Mode.READ_WRITE);
    assertThat(s.view().token()).isEqualTo(FencingToken.NONE);
    assertThat(s.offer(signed("b", Mode.READ_WRITE, 1, 1, 10_000))).isEqualTo(ModeState.Offer.ACCEPTED);
  }

  @Test
  void the_write_primary_self_fences_when_the_lease_runs_out_and_a_renewal_restores_it() {
    ModeState s = state("a", true, true);
    s.offer(signed("a", Mode.READ_WRITE, 3, 1, 1000));
    advanceMillis(400);
    assertThat(s.view().leaseRemainingMillis()).isEqualTo(600);
    assertThat(s.offer(signed("a", Mode.READ_WRITE, 3, 1, 1000))).isEqualTo(ModeState.Offer.RENEWED);
    advanceMillis(999);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
    advanceMillis(1);
    ModeView fenced = s.view();
    assertThat(fenced.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(fenced.reason()).isEqualTo("mode lease expired: self-fenced");
    assertThat(fenced.selfFenced()).isTrue();
    assertThat(fenced.leaseRemainingMillis()).isZero();
    s.offer(signed("a", Mode.READ_WRITE, 3, 1, 1000));
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
  }

  @Test
  void replaying_the_last_record_renews_no_lease_so_a_cut_off_primary_still_self_fences() {
    ModeState s = state("a", true, true);
    SignedModeRecord last = signed("a", Mode.READ_WRITE, 3, 1, 1000);
    s.offer(last);
    for (int i = 0; i < 5; i++) {
      advanceMillis(300);
      assertThat(s.offer(last)).isEqualTo(ModeState.Offer.IGNORED_DUPLICATE);
    }
    assertThat(s.view().selfFenced()).as("1.5 s of replays of a 1 s lease").isTrue();
    assertThat(s.count(ModeState.Offer.IGNORED_DUPLICATE)).isEqualTo(5);
    assertThat(s.ignoredOlder()).as("duplicates are not older tokens").isZero();
  }

  @Test
  void a_deposed_leaders_renewal_is_not_newer_but_a_new_leaders_is_whatever_its_clock() {
    ModeState s = state("a", true, true);
    ModeRecord first = rec("a", Mode.READ_WRITE, 3, 1, 1000);
    s.offer(SIGNER.sign(first));
    ModeRecord newLeader = new ModeRecord("pharos", "a", Mode.READ_WRITE, first.token(), 1000, 4,
        first.issuedAtMillis() - 60_000, first.reason());
    assertThat(s.offer(SIGNER.sign(newLeader))).isEqualTo(ModeState.Offer.RENEWED);
    ModeRecord oldLeaderLater = new ModeRecord("pharos", "a", Mode.READ_WRITE, first.token(), 1000, 3,
        first.issuedAtMillis() + 60_000, first.reason());
    assertThat(s.offer(SIGNER.sign(oldLeaderLater))).isEqualTo(ModeState.Offer.IGNORED_DUPLICATE);
    assertThat(s.takenFromOlderTerm()).as("nothing of the deposed leader's took effect").isZero();
  }

  @Test
  void a_record_taken_though_issued_in_a_lower_term_than_one_held_is_counted() {
    // cannot happen with correct controllers (a deposed leader holds no token newer than its
    // successor's); the counter is what a crash test reads, so it must count when it does
    ModeState s = state("a", true, true);
    ModeRecord first = rec("a", Mode.READ_WRITE, 3, 1, 1000);
    s.offer(SIGNER.sign(first));
    ModeRecord renewedByTerm4 = new ModeRecord("pharos", "a", Mode.READ_WRITE, first.token(), 1000, 4,
        first.issuedAtMillis() + 1, first.reason());
    assertThat(s.offer(SIGNER.sign(renewedByTerm4))).isEqualTo(ModeState.Offer.RENEWED);
    assertThat(s.takenFromOlderTerm()).isZero();
    ModeRecord newerTokenFromTerm3 = new ModeRecord("pharos", "a", Mode.READ_ONLY, new FencingToken(3, 2), 1000, 3,
        first.issuedAtMillis() + 2, "late");
    assertThat(s.offer(SIGNER.sign(newerTokenFromTerm3))).isEqualTo(ModeState.Offer.ACCEPTED);
    assertThat(s.takenFromOlderTerm()).isEqualTo(1);
  }

  @Test
  void other_regions_keep_the_last_mode_after_the_lease_runs_out() {
    ModeState s = state("b", false, true);
    s.offer(signed("b", Mode.READ_WRITE, 1, 1, 1000));
    advanceMillis(5000);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(s.view().selfFenced()).isFalse();
  }

  @Test
  void a_record_without_a_lease_uses_the_policy_lease() {
    ModeState s = state("a", true, true);
    s.offer(signed("a", Mode.READ_WRITE, 1, 1, 0));
    assertThat(s.view().leaseRemainingMillis()).isEqualTo(15_000);
  }
}
