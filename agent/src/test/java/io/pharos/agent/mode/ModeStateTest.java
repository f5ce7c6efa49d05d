package io.pharos.agent.mode;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ModeStateTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final Ticker ticker = nanos::get;

  void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  static ModeRecord rec(String region, Mode mode, long term, long index, long lease) {
    return new ModeRecord(region, mode, new FencingToken(term, index), lease, "because " + term + ":" + index);
  }

  @Test
  void the_write_primary_is_read_only_until_it_holds_a_lease() {
    ModeState s = new ModeState("a", true, true, 15_000, ticker);
    ModeView v = s.view();
    assertThat(v.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(v.reason()).isEqualTo("no mode lease yet");
    assertThat(v.selfFenced()).isTrue();
    assertThat(v.token()).isEqualTo(FencingToken.NONE);
  }

  @Test
  void other_regions_and_a_primary_without_self_fencing_are_read_write_before_any_record() {
    assertThat(new ModeState("b", false, true, 15_000, ticker).view().mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(new ModeState("a", true, false, 15_000, ticker).view().mode()).isEqualTo(Mode.READ_WRITE);
  }

  @Test
  void keeps_the_highest_token_and_ignores_older_ones() {
    ModeState s = new ModeState("a", true, true, 15_000, ticker);
    assertThat(s.offer(rec("a", Mode.READ_WRITE, 1, 1, 10_000))).isEqualTo(ModeState.Offer.ACCEPTED);
    assertThat(s.offer(rec("a", Mode.READ_ONLY, 2, 5, 10_000))).isEqualTo(ModeState.Offer.ACCEPTED);
    assertThat(s.offer(rec("a", Mode.READ_WRITE, 1, 9, 10_000))).isEqualTo(ModeState.Offer.IGNORED_OLDER);
    assertThat(s.offer(rec("b", Mode.READ_WRITE, 9, 9, 10_000))).isEqualTo(ModeState.Offer.IGNORED_OTHER_REGION);
    ModeView v = s.view();
    assertThat(v.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(v.token()).isEqualTo(new FencingToken(2, 5));
    assertThat(v.selfFenced()).isFalse();
    assertThat(s.ignoredOlder()).isEqualTo(1);
  }

  @Test
  void the_write_primary_self_fences_when_the_lease_runs_out_and_a_renewal_restores_it() {
    ModeState s = new ModeState("a", true, true, 15_000, ticker);
    s.offer(rec("a", Mode.READ_WRITE, 3, 1, 1000));
    advanceMillis(400);
    assertThat(s.view().leaseRemainingMillis()).isEqualTo(600);
    assertThat(s.offer(rec("a", Mode.READ_WRITE, 3, 1, 1000))).isEqualTo(ModeState.Offer.RENEWED);
    advanceMillis(999);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
    advanceMillis(1);
    ModeView fenced = s.view();
    assertThat(fenced.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(fenced.reason()).isEqualTo("mode lease expired: self-fenced");
    assertThat(fenced.selfFenced()).isTrue();
    assertThat(fenced.leaseRemainingMillis()).isZero();
    s.offer(rec("a", Mode.READ_WRITE, 3, 1, 1000));
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
  }

  @Test
  void other_regions_keep_the_last_mode_after_the_lease_runs_out() {
    ModeState s = new ModeState("b", false, true, 15_000, ticker);
    s.offer(rec("b", Mode.READ_WRITE, 1, 1, 1000));
    advanceMillis(5000);
    assertThat(s.view().mode()).isEqualTo(Mode.READ_WRITE);
    assertThat(s.view().selfFenced()).isFalse();
  }

  @Test
  void a_record_without_a_lease_uses_the_policy_lease() {
    ModeState s = new ModeState("a", true, true, 15_000, ticker);
    s.offer(rec("a", Mode.READ_WRITE, 1, 1, 0));
    assertThat(s.view().leaseRemainingMillis()).isEqualTo(15_000);
  }
}
