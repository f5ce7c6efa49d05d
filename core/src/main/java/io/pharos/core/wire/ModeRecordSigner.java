package io.pharos.core.wire;

import io.pharos.core.model.ModeRecord;
import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * Signs mode records with the controllers' Ed25519 key (controllers only). The private key never
 * leaves this object: no accessor, and {@link #toString()} names the key id only.
 */
public final class ModeRecordSigner {
  private final PrivateKey key;
  private final String keyId;

  /**
   * @param key the controllers' private key
   * @param publicKey its public key (gives the key id records carry)
   * @throws IllegalArgumentException when the two are not a pair
   */
  public ModeRecordSigner(PrivateKey key, PublicKey publicKey) {
    this.key = Objects.requireNonNull(key, "key");
    if (!ControllerKeys.pairs(key, publicKey)) {
      throw new IllegalArgumentException("the controllers' private key does not belong to the public key "
          + ControllerKeys.keyId(publicKey));
    }
    this.keyId = ControllerKeys.keyId(publicKey);
  }

  public SignedModeRecord sign(ModeRecord record) {
    return new SignedModeRecord(record, keyId, Ed25519.sign(key, record.canonicalBytes(keyId)));
  }

  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "ModeRecordSigner[keyId=" + keyId + "]";
  }
}
