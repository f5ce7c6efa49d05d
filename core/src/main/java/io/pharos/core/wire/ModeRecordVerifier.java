package io.pharos.core.wire;

import io.pharos.core.model.SignedModeRecord;
import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a mode record is the controllers' word: signed by one of the trusted keys (the current
 * one, and the previous one during a rotation) over its canonical bytes, for this deployment's
 * group. Pure and thread-safe; agents, the controllers' mode map and applications use the same rule.
 */
public final class ModeRecordVerifier {

  /** The verdict on one record. Only {@link #VALID} may change anything. */
  public enum Verdict {
    VALID("valid"),
    UNSIGNED("unsigned"),
    UNKNOWN_KEY("unknown-key"),
    BAD_SIGNATURE("bad-signature"),
    OTHER_GROUP("other-group");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    /** Metric tag and log value. */
    public String label() {
      return label;
    }
  }

  private final String group;
  private final Map<String, PublicKey> keys = new LinkedHashMap<>();

  /**
   * @param group the controllers' group ({@code controllers.group}) records must name
   * @param trusted the public keys whose signatures count
   */
  public ModeRecordVerifier(String group, Collection<PublicKey> trusted) {
    this.group = group;
    for (PublicKey k : trusted) {
      keys.put(ControllerKeys.keyId(k), k);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a mode record verifier needs at least one trusted public key");
    }
  }

  public Verdict verify(SignedModeRecord s) {
    if (!s.signed()) {
      return Verdict.UNSIGNED;
    }
    PublicKey key = keys.get(s.keyId());
    if (key == null) {
      return Verdict.UNKNOWN_KEY;
    }
    if (!Ed25519.verify(key, s.record().canonicalBytes(s.keyId()), s.signature())) {
      return Verdict.BAD_SIGNATURE;
    }
    // checked after the signature: a signed record of another deployment that shares our key
    return s.record().group().equals(group) ? Verdict.VALID : Verdict.OTHER_GROUP;
  }

  public boolean valid(SignedModeRecord s) {
    return verify(s) == Verdict.VALID;
  }
}
