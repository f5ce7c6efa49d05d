package io.pharos.core.model;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A {@link ModeRecord} with the controllers' Ed25519 signature over its {@link
 * ModeRecord#canonicalBytes canonical bytes} and the id of the key that made it. What travels
 * through the data plane is only ever trusted through this signature: a record whose signature is
 * missing or does not verify is nobody's decision. A record decoded from the wire may carry no
 * signature at all ({@code keyId} empty, {@code signature} null); {@code ModeRecordVerifier} says
 * so.
 *
 * @param record what was decided
 * @param keyId which controllers' key signed it (see {@code ControllerKeys.keyId}), empty when unsigned
 * @param signature the 64-byte Ed25519 signature, or null when unsigned
 */
public record SignedModeRecord(ModeRecord record, String keyId, byte[] signature) {

  public SignedModeRecord {
    Objects.requireNonNull(record, "record");
    keyId = keyId == null ? "" : keyId;
    signature = signature == null ? null : signature.clone();
  }

  /** A record that carries no signature (what an outsider can write). */
  public static SignedModeRecord unsigned(ModeRecord record) {
    return new SignedModeRecord(record, "", null);
  }

  public boolean signed() {
    return signature != null;
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /** The signature in base64, or empty when unsigned. */
  public String signatureBase64() {
    return signature == null ? "" : Base64.getEncoder().encodeToString(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedModeRecord s && record.equals(s.record) && keyId.equals(s.keyId)
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(record, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "SignedModeRecord[" + record + ", keyId=" + keyId + ", signed=" + signed() + "]";
  }
}
