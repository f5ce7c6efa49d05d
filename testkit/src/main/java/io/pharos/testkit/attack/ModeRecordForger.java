package io.pharos.testkit.attack;

import io.pharos.core.model.FencingToken;
import io.pharos.core.model.Mode;
import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.Ed25519;
import io.pharos.core.wire.ModeCodec;
import io.pharos.core.wire.ModeRecordSigner;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;

/**
 * Forges mode records the way an outsider on the data plane can (issue 14): writes them into the
 * mode mailbox map and broadcasts them on the mode topic, exactly where the controllers publish.
 * Every forgery claims a huge token, so that a receiver that believed it would ignore every real
 * fence after it. Holds no controllers' key: what it signs, it signs with a key of its own.
 */
public final class ModeRecordForger {
  /** The controllers' mailbox map and broadcast topic (fixed contract with the agents). */
  public static final String MAILBOX = "pharos.mode";
  public static final String BROADCAST = "pharos.mode.records";
  /** The token of the forgery seen on the sandbox in issue 14. */
  public static final FencingToken HUGE = new FencingToken(999_999, 1);
  private static final long TEN_MINUTES = 600_000;

  private final Outsider outsider;
  private final String group;
  private final KeyPair ownKey = Ed25519.generate();

  /** @param group the controllers' group, which a forged record names (the outsider knows it: the cluster name) */
  public ModeRecordForger(Outsider outsider, String group) {
    this.outsider = outsider;
    this.group = group;
  }

  /** The record of issue 14, as it was written then (the format before records were signed). */
  public String legacyRecord(String region) {
    return "{\"region\":\"" + region + "\",\"mode\":\"read-only\",\"token\":\"" + HUGE
        + "\",\"leaseMillis\":600000,\"reason\":\"outsider\"}";
  }

  /** An unsigned record in today's format. */
  public String unsigned(String region, Mode mode) {
    return ModeCodec.encode(SignedModeRecord.unsigned(record(region, mode)));
  }

  /** A record signed with the forger's own key (unknown to every receiver). */
  public String signedWithOwnKey(String region, Mode mode) {
    return ModeCodec.encode(new ModeRecordSigner(ownKey.getPrivate(), ownKey.getPublic()).sign(record(region, mode)));
  }

  /**
   * A record signed with the forger's own key but naming the controllers' key id (public: every
   * agent's {@code /v1/mode} shows it).
   */
  public String claimingKeyId(String region, Mode mode, String controllersKeyId) {
    ModeRecord r = record(region, mode);
    byte[] sig = Ed25519.sign(ownKey.getPrivate(), r.canonicalBytes(controllersKeyId));
    return ModeCodec.encode(new SignedModeRecord(r, controllersKeyId, sig));
  }

  /** A real record with one field changed after signing: a tampered copy. */
  public String tampered(String realRecordJson) {
    SignedModeRecord real = ModeCodec.decode(realRecordJson);
    ModeRecord r = real.record();
    ModeRecord changed = new ModeRecord(r.group(), r.region(), r.mode() == Mode.READ_ONLY ? Mode.READ_WRITE
        : Mode.READ_ONLY, HUGE, TEN_MINUTES, r.issuedTerm(), r.issuedAtMillis(), r.reason());
    return ModeCodec.encode(new SignedModeRecord(changed, real.keyId(), Base64.getDecoder()
        .decode(real.signatureBase64())));
  }

  /** Writes {@code json} as {@code region}'s record into the mailbox and broadcasts it. */
  public void plant(String region, String json) {
    outsider.client().getMap(MAILBOX).put(region, json);
    outsider.client().getTopic(BROADCAST).publish(json);
  }

  /** Puts a value that is not text at all where agents read (a map: Java-serializable, harmless). */
  public void plantObject(String region) {
    HashMap<String, String> junk = new HashMap<>();
    junk.put("mode", "read-only");
    outsider.client().getMap(MAILBOX).put(region, junk);
    outsider.client().getTopic(BROADCAST).publish(junk);
  }

  /** Every forgery above for {@code region}, planted one after the other. */
  public void plantAll(String region, Mode mode, String controllersKeyId) {
    plant(region, legacyRecord(region));
    plant(region, unsigned(region, mode));
    plant(region, signedWithOwnKey(region, mode));
    plant(region, claimingKeyId(region, mode, controllersKeyId));
  }

  private ModeRecord record(String region, Mode mode) {
    return new ModeRecord(group, region, mode, HUGE, TEN_MINUTES, HUGE.term(), System.currentTimeMillis(),
        "outsider");
  }
}
