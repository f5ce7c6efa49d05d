package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWireTest {
  static final long T0 = 1_800_000_000_000L;
  final PharosConfig config = TestConfigs.threeRegions();
  final ReportSigner signer = new ReportSigner(config.security().key(), null);

  static Report report(String agent, String region, long seq, long sentAt, Observation... obs) {
    return new Report(Report.VERSION, agent, region, seq, sentAt, List.of(obs));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    Report r = report("agent-a", "a", 7, T0,
        Observation.up("b", "app", 1234, 200, T0 - 5),
        Observation.down("b", "db", 500_000, 0, FailureKind.TIMEOUT, T0 - 1));
    byte[] body = ReportCodec.encode(r);
    assertThat(ReportCodec.decode(body, 0, body.length)).isEqualTo(r);
  }

  @Test
  void rejectsTruncatedTrailingAndForeignBytes() {
    byte[] body = ReportCodec.encode(report("agent-a", "a", 1, T0, Observation.up("b", "app", 1, 200, T0)));
    assertThatThrownBy(() -> ReportCodec.decode(body, 0, body.length - 3)).hasMessageContaining("truncated");
    byte[] longer = Arrays.copyOf(body, body.length + 2);
    assertThatThrownBy(() -> ReportCodec.decode(longer, 0, longer.length)).hasMessageContaining("trailing");
    byte[] json = "{\"agent\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ReportCodec.decode(json, 0, json.length)).hasMessageContaining("bad magic");
    byte[] v9 = body.clone();
    v9[3] = 9;
    assertThatThrownBy(() -> ReportCodec.decode(v9, 0, v9.length))
        .isInstanceOfSatisfying(MalformedReportException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION));
    byte[] v0 = body.clone();
    v0[3] = ReportCodec.OLDEST_SUPPORTED_VERSION - 1;
    assertThatThrownBy(() -> ReportCodec.decode(v0, 0, v0.length))
        .isInstanceOfSatisfying(MalformedReportException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION))
        .hasMessageContaining("reads 1 to 1");
  }

  @Test
  void acceptsASignedReportAndCountsItFresh() {
    ReportVerifier v = new ReportVerifier(config, T0);
    var result = v.verify(signer.sign(report("agent-a", "a", 1, T0, Observation.up("b", "app", 1, 200, T0))), T0 + 20);
    assertThat(result).isInstanceOfSatisfying(ReportVerifier.Accepted.class, a -> {
      assertThat(a.late()).isFalse();
      assertThat(a.report().observations()).hasSize(1);
    });
  }

  @Test
  void tellsUnsignedBadlySignedAndGarbageApart() {
    ReportVerifier v = new ReportVerifier(config, T0);
    Report r = report("agent-a", "a", 1, T0, Observation.up("b", "app", 1, 200, T0));
    assertThat(reason(v.verify(ReportCodec.encode(r), T0))).isEqualTo(RejectReason.UNSIGNED);
    byte[] forged = new ReportSigner("another-key-that-is-long-enough".getBytes(StandardCharsets.UTF_8), null).sign(r);
    ReportVerifier.Result bad = v.verify(forged, T0);
    assertThat(reason(bad)).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(((ReportVerifier.Rejected) bad).source()).isEqualTo("agent-a");
    assertThat(reason(v.verify(new byte[] {1, 2, 3}, T0))).isEqualTo(RejectReason.MALFORMED);
    byte[] tampered = signer.sign(r);
    tampered[10] ^= 1;
    assertThat(reason(v.verify(tampered, T0))).isIn(RejectReason.BAD_SIGNATURE, RejectReason.MALFORMED);
  }

  @Test
  void rejectsUnknownRegionReplayAndAncientReports() {
    ReportVerifier v = new ReportVerifier(config, T0);
    assertThat(reason(v.verify(signer.sign(report("agent-x", "zz", 1, T0)), T0))).isEqualTo(RejectReason.UNKNOWN_REGION);
    assertThat(v.verify(signer.sign(report("agent-a", "a", 5, T0)), T0)).isInstanceOf(ReportVerifier.Accepted.class);
    assertThat(reason(v.verify(signer.sign(report("agent-a", "a", 5, T0)), T0))).isEqualTo(RejectReason.REPLAYED);
    assertThat(reason(v.verify(signer.sign(report("agent-a", "a", 4, T0)), T0))).isEqualTo(RejectReason.REPLAYED);
    assertThat(reason(v.verify(signer.sign(report("agent-c", "c", 1, T0 - 11 * 60_000)), T0)))
        .isEqualTo(RejectReason.TOO_OLD);
  }

  @Test
  void marksBufferedReportsLateButAllowsForSteadySkew() {
    ReportVerifier v = new ReportVerifier(config, T0);
    long skew = 1_500; // agent clock 1.5 s behind
    for (int i = 0; i < 5; i++) {
      var a = (ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", i + 1, T0 + i * 1000 - skew)),
          T0 + i * 1000 + 2);
      assertThat(a.late()).isFalse();
    }
    // sent 8 s before it arrived (buffered while cut off): late, but kept
    var late = (ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", 10, T0 + 2_000 - skew)), T0 + 10_000);
    assertThat(late.late()).isTrue();
  }

  @Test
  void aClockStepBackIsRebaselinedButABufferFlushStaysLate() {
    ReportVerifier v = new ReportVerifier(config, T0);
    long seq = 1;
    for (int i = 0; i < 5; i++) {
      assertThat(((ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", seq++, T0 + i * 1000)),
          T0 + i * 1000 + 3)).late()).isFalse();
    }
    // a flush of 20 reports buffered over 20 s, all arriving at once: late, and it stays late
    for (int i = 0; i < 20; i++) {
      var flushed = (ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", seq++, T0 + 5_000 + i * 1000)),
          T0 + 40_000 + i);
      assertThat(flushed.late()).isTrue();
    }
    // then the clock steps back by 30 s: the first reports are late, then the stream is believed
    long stepped = -30_000;
    boolean freshAgain = false;
    for (int i = 0; i < 8; i++) {
      long now = T0 + 41_000 + i * 1000;
      var a = (ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", seq++, now + stepped)), now + 4);
      freshAgain |= !a.late();
    }
    assertThat(freshAgain).isTrue();
  }

  @Test
  void acceptsThePreviousKeyOnlyDuringItsGrace() {
    byte[] oldKey = "previous-key-for-tests-only-0002".getBytes(StandardCharsets.UTF_8);
    PharosConfig rotated = ConfigLoader.parse(TestConfigs.threeRegionsYaml(),
        Map.of("PHAROS_HMAC_KEY", TestConfigs.TEST_KEY, "PHAROS_HMAC_KEY_PREVIOUS", new String(oldKey, StandardCharsets.UTF_8)));
    ReportVerifier v = new ReportVerifier(rotated, T0);
    ReportSigner oldSigner = new ReportSigner(oldKey, null);
    var ok = v.verify(oldSigner.sign(report("agent-a", "a", 1, T0)), T0);
    assertThat(ok).isInstanceOfSatisfying(ReportVerifier.Accepted.class, a -> assertThat(a.previousKey()).isTrue());
    long afterGrace = T0 + 24 * 3_600_000L + 1;
    assertThat(reason(v.verify(oldSigner.sign(report("agent-a", "a", 2, afterGrace)), afterGrace)))
        .isEqualTo(RejectReason.EXPIRED_KEY);
  }

  @Test
  void dropsObservationsOfUnknownEndpointsAndKeepsTheRest() {
    ReportVerifier v = new ReportVerifier(config, T0);
    var a = (ReportVerifier.Accepted) v.verify(signer.sign(report("agent-a", "a", 1, T0,
        Observation.up("b", "app", 1, 200, T0), Observation.up("b", "removed", 1, 200, T0))), T0);
    assertThat(a.droppedObservations()).isEqualTo(1);
    assertThat(a.report().observations()).extracting(Observation::endpointId).containsExactly("app");
  }

  @Test
  void neverPrintsKeys() {
    assertThat(signer.toString()).doesNotContain(TestConfigs.TEST_KEY);
    assertThat(config.security().toString()).doesNotContain(TestConfigs.TEST_KEY);
    assertThat(config.toString()).doesNotContain(TestConfigs.TEST_KEY);
  }

  private static RejectReason reason(ReportVerifier.Result r) {
    assertThat(r).isInstanceOf(ReportVerifier.Rejected.class);
    return ((ReportVerifier.Rejected) r).reason();
  }
}
