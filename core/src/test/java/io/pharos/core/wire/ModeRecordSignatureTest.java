package io.pharos.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeRecordVerifier.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ModeRecordSignatureTest {
  // throwaway pairs generated per run: test-only, not secrets
  private static final KeyPair CONTROLLERS = Ed25519.generate();
  private static final KeyPair STRANGER = Ed25519.generate();
  private final ModeRecordSigner signer = new ModeRecordSigner(CONTROLLERS.getPrivate(), CONTROLLERS.getPublic());
  private final ModeRecordVerifier verifier = new ModeRecordVerifier("pharos", List.of(CONTROLLERS.getPublic()));

  static ModeRecord record(long term, long index) {
    return new ModeRecord("pharos", "eu-west", Mode.READ_ONLY, new FencingToken(term, index), 15_000, term,
        1_764_000_000_000L, "RegionDown d-" + index);
  }

  @Test
  void theCanonicalBytesAreOneFieldPerLineWithTheReasonLast() {
    ModeRecord r = new ModeRecord("pharos", "eu-west", Mode.READ_ONLY, new FencingToken(4, 17), 15_000, 5,
        1_764_000_000_000L, "line one\nline two");
    assertThat(new String(r.canonicalBytes("3f1c0a9e5b7d2c41"), StandardCharsets.UTF_8)).isEqualTo("""
        pharos-mode-record/v1
        pharos
        eu-west
        read-only
        4:17
        15000
        5
        1764000000000
        3f1c0a9e5b7d2c41
        line one
        line two""");
  }

  @Test
  void aSignedRecordVerifiesAndSurvivesTheWire() {
    SignedModeRecord s = signer.sign(record(4, 17));
    assertThat(s.keyId()).isEqualTo(ControllerKeys.keyId(CONTROLLERS.getPublic())).hasSize(16);
    assertThat(verifier.verify(s)).isEqualTo(Verdict.VALID);
    SignedModeRecord back = ModeCodec.decode(ModeCodec.encode(s));
    assertThat(back).isEqualTo(s);
    assertThat(verifier.verify(back)).isEqualTo(Verdict.VALID);
  }

  @Test
  void changingAnySignedFieldBreaksTheSignature() {
    SignedModeRecord s = signer.sign(record(4, 17));
    List<UnaryOperator<ModeRecord>> edits = List.of(
        r -> new ModeRecord(r.group(), "us-east", r.mode(), r.token(), r.leaseMillis(), r.issuedTerm(), r.issuedAtMillis(), r.reason()),
        r -> new ModeRecord(r.group(), r.region(), Mode.READ_WRITE, r.token(), r.leaseMillis(), r.issuedTerm(), r.issuedAtMillis(), r.reason()),
        r -> new ModeRecord(r.group(), r.region(), r.mode(), new FencingToken(999_999, 1), r.leaseMillis(), r.issuedTerm(), r.issuedAtMillis(), r.reason()),
        r -> new ModeRecord(r.group(), r.region(), r.mode(), r.token(), 600_000, r.issuedTerm(), r.issuedAtMillis(), r.reason()),
        r -> new ModeRecord(r.group(), r.region(), r.mode(), r.token(), r.leaseMillis(), r.issuedTerm() + 1, r.issuedAtMillis(), r.reason()),
        r -> new ModeRecord(r.group(), r.region(), r.mode(), r.token(), r.leaseMillis(), r.issuedTerm(), r.issuedAtMillis() + 1, r.reason()),
        r -> new ModeRecord(r.group(), r.region(), r.mode(), r.token(), r.leaseMillis(), r.issuedTerm(), r.issuedAtMillis(), "other"));
    for (UnaryOperator<ModeRecord> edit : edits) {
      SignedModeRecord tampered = new SignedModeRecord(edit.apply(s.record()), s.keyId(), s.signature());
      assertThat(verifier.verify(tampered)).as(tampered.record().toString()).isEqualTo(Verdict.BAD_SIGNATURE);
    }
  }

  @Test
  void unsignedForeignAndOtherGroupsRecordsAreNotTheControllersWord() {
    ModeRecord huge = new ModeRecord("pharos", "eu-west", Mode.READ_ONLY, new FencingToken(999_999, 1), 600_000,
        999_999, 0, "outsider");
    assertThat(verifier.verify(SignedModeRecord.unsigned(huge))).isEqualTo(Verdict.UNSIGNED);
    SignedModeRecord byStranger = new ModeRecordSigner(STRANGER.getPrivate(), STRANGER.getPublic()).sign(huge);
    assertThat(verifier.verify(byStranger)).isEqualTo(Verdict.UNKNOWN_KEY);
    SignedModeRecord strangerClaimsOurKeyId =
        new SignedModeRecord(huge, signer.keyId(), byStranger.signature());
    assertThat(verifier.verify(strangerClaimsOurKeyId)).isEqualTo(Verdict.BAD_SIGNATURE);
    SignedModeRecord otherDeployment = signer.sign(new ModeRecord("staging", "eu-west", Mode.READ_ONLY,
        new FencingToken(9, 9), 15_000, 9, 0, "staging shares the key"));
    assertThat(verifier.verify(otherDeployment)).isEqualTo(Verdict.OTHER_GROUP);
    assertThat(verifier.verify(new SignedModeRecord(huge, signer.keyId(), new byte[3])))
        .isEqualTo(Verdict.BAD_SIGNATURE);
  }

  @Test
  void duringARotationBothKeysAreTrusted() {
    KeyPair next = Ed25519.generate();
    ModeRecordVerifier both = new ModeRecordVerifier("pharos", List.of(next.getPublic(), CONTROLLERS.getPublic()));
    assertThat(both.verify(signer.sign(record(1, 1)))).isEqualTo(Verdict.VALID);
    assertThat(both.verify(new ModeRecordSigner(next.getPrivate(), next.getPublic()).sign(record(1, 1))))
        .isEqualTo(Verdict.VALID);
    assertThatThrownBy(() -> new ModeRecordVerifier("pharos", List.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> new ModeRecordSigner(STRANGER.getPrivate(), CONTROLLERS.getPublic()))
        .hasMessageContaining("does not belong");
  }

  @Test
  void onlyANewerTokenOrALaterIssueOfTheSameTokenReplacesARecord() {
    ModeRecord held = record(4, 17);
    assertThat(held.relationOf(record(4, 18))).isEqualTo(ModeRecord.Relation.NEWER_TOKEN);
    assertThat(held.relationOf(record(4, 16))).isEqualTo(ModeRecord.Relation.NOT_NEWER);
    assertThat(held.relationOf(held)).as("a replayed copy renews nothing").isEqualTo(ModeRecord.Relation.NOT_NEWER);
    ModeRecord later = new ModeRecord("pharos", "eu-west", Mode.READ_ONLY, held.token(), 15_000, 4,
        held.issuedAtMillis() + 5000, held.reason());
    assertThat(held.relationOf(later)).isEqualTo(ModeRecord.Relation.RENEWAL);
    ModeRecord newLeaderSlowClock = new ModeRecord("pharos", "eu-west", Mode.READ_ONLY, held.token(), 15_000, 5,
        held.issuedAtMillis() - 60_000, held.reason());
    assertThat(held.relationOf(newLeaderSlowClock)).as("a newer term renews whatever its clock says")
        .isEqualTo(ModeRecord.Relation.RENEWAL);
    assertThat(newLeaderSlowClock.relationOf(later)).as("a deposed leader's renewal is not newer")
        .isEqualTo(ModeRecord.Relation.NOT_NEWER);
  }

  @Test
  void decodingNamesWhatIsWrong() {
    assertThatThrownBy(() -> ModeCodec.decode("{")).hasMessage("not a mode record: not JSON");
    assertThatThrownBy(() -> ModeCodec.decode("[1]")).hasMessage("not a mode record: not a JSON object");
    assertThatThrownBy(() -> ModeCodec.decode("x".repeat(ModeCodec.MAX_CHARS + 1)))
        .hasMessageContaining("more than " + ModeCodec.MAX_CHARS);
    String good = ModeCodec.encode(signer.sign(record(1, 2)));
    assertThatThrownBy(() -> ModeCodec.decode(good.replace("\"v\":1", "\"v\":2")))
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> ModeCodec.decode(good.replace("\"group\":\"pharos\",", "")))
        .hasMessage("not a mode record: group is missing");
    assertThatThrownBy(() -> ModeCodec.decode(good.replace("\"leaseMillis\":15000", "\"leaseMillis\":\"long\"")))
        .hasMessage("not a mode record: leaseMillis is not a whole number");
    assertThatThrownBy(() -> ModeCodec.decode(good.replace("\"token\":\"1:2\"", "\"token\":\"soon\"")))
        .hasMessageContaining("term:index");
    assertThatThrownBy(() -> ModeCodec.decode(good.replaceAll("\"sig\":\"[^\"]*\"", "\"sig\":\"%%%\"")))
        .hasMessage("not a mode record: sig is not base64");
    // the outsider's record from issue 14: decodes (as unsigned), so that it can be counted and ignored
    SignedModeRecord outsider = ModeCodec.decode("{\"v\":1,\"group\":\"pharos\",\"region\":\"eu-west\","
        + "\"mode\":\"read-only\",\"token\":\"999999:1\",\"leaseMillis\":600000,\"issuedTerm\":999999,"
        + "\"issuedAt\":0,\"reason\":\"\"}");
    assertThat(outsider.signed()).isFalse();
    assertThat(verifier.verify(outsider)).isEqualTo(Verdict.UNSIGNED);
  }
}
