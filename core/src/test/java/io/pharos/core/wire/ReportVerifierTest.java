package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.TestConfigs;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.JournalCodec;
import io.pharos.core.journal.RegionKeyRotated;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.MasterSecret;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gate: size, header, key generation, MAC with the named region's key, body. */
class ReportVerifierTest {
  static final long T0 = 1_800_000_000_000L;
  static final long HOUR = 3_600_000L;
  final PharosConfig config = TestConfigs.threeRegions();
  final AtomicReference<ControlState> journal = new AtomicReference<>(ControlState.initial(config));
  final ReportVerifier verifier = new ReportVerifier(config, r -> journal.get().regionKey(r));

  static RejectReason reason(ReportVerifier.Result r) {
    assertThat(r).isInstanceOf(ReportVerifier.Rejected.class);
    return ((ReportVerifier.Rejected) r).reason();
  }

  static ReportVerifier.Accepted accepted(ReportVerifier.Result r) {
    assertThat(r).isInstanceOf(ReportVerifier.Accepted.class);
    return (ReportVerifier.Accepted) r;
  }

  @Test
  void acceptsASignedReportOfTheKeysRegion() {
    TestAgent a = new TestAgent("a", "agent-a", T0);
    ReportVerifier.Accepted ok = accepted(verifier.verify(a.frame(T0, Observation.up("b", "app", 1, 200, T0)), T0 + 3));
    assertThat(ok.late()).isFalse();
    assertThat(ok.previousKey()).isFalse();
    assertThat(ok.agent()).isEqualTo("a/agent-a");
    assertThat(ok.report().observations()).hasSize(1);
  }

  @Test
  void aFrameLargerThanTheConfigCanNeedIsDroppedBeforeAnythingIsRead() {
    ReportLimits limits = ReportLimits.of(config);
    assertThat(limits.acceptBytes()).isEqualTo(2 * limits.frameBytes()).isLessThan(8_192);
    byte[] flood = new byte[1 << 20];
    ReportVerifier.Rejected r = (ReportVerifier.Rejected) verifier.verify(flood, T0);
    assertThat(r.reason()).isEqualTo(RejectReason.OVERSIZED);
    assertThat(r.authenticated()).isFalse();
    assertThat(r.message()).contains("1048576 bytes").contains(limits.acceptBytes() + " bytes");
    // the cap follows the config: more endpoints probed more often need more room
    String more = TestConfigs.threeRegionsYaml().replace("confirmAfter: 250ms", "confirmAfter: 100ms");
    assertThat(ReportLimits.of(ConfigLoader.parse(more, TestConfigs.ENV)).acceptBytes())
        .isGreaterThan(limits.acceptBytes());
  }

  @Test
  void anAgentCannotSpeakForAnotherRegion() throws Exception {
    // an agent of region a holds a's key and writes a report claiming region b, MACed with a's key
    Report claimsB = new Report(Report.VERSION, "b", 1, "agent-b-fake", 7, 1, 1_000, 0, T0, List.of());
    byte[] forged = withMac(ReportCodec.encode(claimsB), TestConfigs.regionKey("a").bytes());
    ReportVerifier.Rejected r = (ReportVerifier.Rejected) verifier.verify(forged, T0);
    assertThat(r.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(r.authenticated()).isFalse();
    assertThat(r.source()).isEqualTo("unauthenticated b/agent-b-fake");
    assertThat(r.message()).contains("region b's key");
    Report claimsA = new Report(Report.VERSION, "a", 1, "agent-b-fake", 7, 1, 1_000, 0, T0, List.of());
    assertThat(verifier.verify(withMac(ReportCodec.encode(claimsA), TestConfigs.regionKey("a").bytes()), T0))
        .as("the same agent speaking for its own region").isInstanceOf(ReportVerifier.Accepted.class);
  }

  static byte[] withMac(byte[] body, byte[] key) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    byte[] frame = Arrays.copyOf(body, body.length + ReportSigner.MAC_LENGTH);
    System.arraycopy(mac.doFinal(body), 0, frame, body.length, ReportSigner.MAC_LENGTH);
    return frame;
  }

  @Test
  void outsidersTamperingAndGarbageAreRefusedByReason() {
    MasterSecret other = MasterSecret.of("another-test-only-master-secret-not-real-01");
    ReportSigner outsider = new ReportSigner(other.regionKey("a", 1));
    TestAgent a = new TestAgent("a", "agent-a", T0);
    assertThat(reason(verifier.verify(outsider.sign(a.report(T0)), T0))).isEqualTo(RejectReason.BAD_SIGNATURE);
    byte[] tampered = a.frame(T0, Observation.up("b", "app", 1, 200, T0));
    tampered[tampered.length - 40] ^= 1;
    assertThat(reason(verifier.verify(tampered, T0))).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(reason(verifier.verify(new byte[] {1, 2, 3}, T0))).isEqualTo(RejectReason.MALFORMED);
    assertThat(reason(verifier.verify(new byte[64], T0))).isEqualTo(RejectReason.MALFORMED);
    Report unknown = new Report(Report.VERSION, "zz", 1, "agent-z", 1, 1, 1, 0, T0, List.of());
    ReportVerifier.Rejected r = (ReportVerifier.Rejected) verifier.verify(
        new ReportSigner(TestConfigs.MASTER.regionKey("zz", 1)).sign(unknown), T0);
    assertThat(r.reason()).isEqualTo(RejectReason.UNKNOWN_REGION);
    // what a frame claims reaches log lines only as printable text
    Report odd = new Report(Report.VERSION, "a", 1, "agent\nFAKE LOG LINE", 1, 1, 1, 0, T0, List.of());
    ReportVerifier.Rejected bad = (ReportVerifier.Rejected) verifier.verify(outsider.sign(odd), T0);
    assertThat(bad.source()).doesNotContain("\n").contains("agent?FAKE");
  }

  @Test
  void aRotationStartsThePreviousKeysGraceAtTheRotationAndOnlyForThatRegion() throws Exception {
    TestAgent oldKeyA = new TestAgent("a", "agent-a", 0xa1, T0, 1);
    TestAgent newKeyA = new TestAgent("a", "agent-a2", 0xa2, T0, 2);
    TestAgent c = new TestAgent("c", "agent-c", 0xc1, T0, 1);
    assertThat(reason(verifier.verify(newKeyA.frame(T0), T0))).as("before the rotation").isEqualTo(
        RejectReason.UNKNOWN_KEY);
    long rotatedAt = T0 + HOUR;
    journal.set(journal.get().apply(new RegionKeyRotated("a", 2, rotatedAt + 24 * HOUR, "admin", "yearly", 1,
        rotatedAt, "c1"), 1, 10).state());
    // two days after a controller started, the grace still runs: it counts from the rotation
    long t = rotatedAt + 23 * HOUR;
    assertThat(accepted(verifier.verify(oldKeyA.frame(t), t)).previousKey()).isTrue();
    assertThat(accepted(verifier.verify(newKeyA.frame(t), t)).previousKey()).isFalse();
    assertThat(accepted(verifier.verify(c.frame(t), t)).previousKey()).as("c did not rotate").isFalse();
    // a controller restarted after the rotation reads the grace from the journal (snapshot), not its start
    ControlState restored = JournalCodec.decodeState(JournalCodec.encodeState(journal.get()));
    ReportVerifier restarted = new ReportVerifier(config, restored::regionKey);
    assertThat(accepted(restarted.verify(oldKeyA.frame(t + 1), t + 1)).previousKey()).isTrue();
    long after = rotatedAt + 24 * HOUR + 1;
    for (ReportVerifier v : List.of(verifier, restarted)) {
      ReportVerifier.Rejected expired = (ReportVerifier.Rejected) v.verify(oldKeyA.frame(after), after);
      assertThat(expired.reason()).isEqualTo(RejectReason.EXPIRED_KEY);
      assertThat(expired.message()).contains("pharos keys derive --region a --generation 2");
      assertThat(v.verify(newKeyA.frame(after), after)).isInstanceOf(ReportVerifier.Accepted.class);
      assertThat(v.verify(c.frame(after), after)).isInstanceOf(ReportVerifier.Accepted.class);
    }
    // a second rotation retires generation 1 for good, whatever its grace said
    journal.set(journal.get().apply(new RegionKeyRotated("a", 3, after + HOUR, "admin", "leak", 1, after, "c1"), 1, 12)
        .state());
    assertThat(reason(verifier.verify(oldKeyA.frame(after + 1), after + 1))).isEqualTo(RejectReason.EXPIRED_KEY);
    assertThat(accepted(verifier.verify(newKeyA.frame(after + 2), after + 2)).previousKey()).isTrue();
  }

  @Test
  void dropsObservationsOfUnknownEndpointsAndKeepsTheRest() {
    TestAgent a = new TestAgent("a", "agent-a", T0);
    ReportVerifier.Accepted ok = accepted(verifier.verify(a.frame(T0, Observation.up("b", "app", 1, 200, T0),
        Observation.up("b", "removed", 1, 200, T0)), T0));
    assertThat(ok.droppedObservations()).isEqualTo(1);
    assertThat(ok.report().observations()).extracting(Observation::endpointId).containsExactly("app");
  }

  @Test
  void neverPrintsSecrets() {
    String key = TestConfigs.regionKey("a").format();
    String keyPart = key.substring(key.lastIndexOf(':') + 1);
    assertThat(new ReportSigner(TestConfigs.regionKey("a")).toString()).doesNotContain(keyPart);
    assertThat(TestConfigs.regionKey("a").toString()).doesNotContain(keyPart);
    assertThat(TestConfigs.MASTER.toString()).doesNotContain(TestConfigs.TEST_MASTER_SECRET);
    assertThat(config.toString()).doesNotContain(TestConfigs.TEST_MASTER_SECRET);
  }
}
