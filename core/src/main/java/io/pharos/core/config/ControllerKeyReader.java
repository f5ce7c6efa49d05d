package io.pharos.core.config;

import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import io.pharos.core.yaml.YamlNode;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Set;

/** Reads the controllers' key fields of the {@code security} section into a {@link ControllerKeyConfig}. */
final class ControllerKeyReader {
  /** The fields of {@code security} this reader owns. */
  static final Set<String> FIELDS =
      Set.of("controllerPublicKey", "controllerPreviousPublicKey", "controllerKeyFile", "controllerKeyEnv");

  private ControllerKeyReader() {}

  static ControllerKeyConfig read(YamlNode s, Map<String, String> env) {
    PublicKey current = publicKey(s.get("controllerPublicKey"));
    PublicKey previous = publicKey(s.get("controllerPreviousPublicKey"));
    if (previous != null && !s.has("controllerPublicKey")) {
      s.problem("controllerPreviousPublicKey", "is only used beside controllerPublicKey (during a rotation)");
    }
    if (previous != null && current != null && previous.equals(current)) {
      s.problem("controllerPreviousPublicKey", "is the same key as controllerPublicKey ("
          + ControllerKeys.keyId(current) + ")");
    }
    String keyFile = s.get("controllerKeyFile").text();
    if (keyFile != null && keyFile.isBlank()) {
      s.problem("controllerKeyFile", "is empty");
      keyFile = null;
    }
    String keyEnv = s.get("controllerKeyEnv").text(ControllerKeyConfig.DEFAULT_KEY_ENV);
    PrivateKey fromEnv = null;
    String value = keyEnv == null ? null : env.get(keyEnv);
    if (value != null && !value.isBlank()) {
      try {
        fromEnv = Ed25519.privateKey(value);
      } catch (IllegalArgumentException e) {
        // never the value itself: it is meant to be a secret
        s.problem("controllerKeyEnv", "environment variable " + keyEnv + " holds no Ed25519 private key (PKCS#8"
            + " PEM or its base64 expected; " + ControllerKeyConfig.GENERATE_HINT + ")");
      }
    }
    return new ControllerKeyConfig(current, previous, keyFile, keyEnv, fromEnv);
  }

  private static PublicKey publicKey(YamlNode n) {
    return n.value(text -> {
      try {
        return Ed25519.publicKey(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an Ed25519 public key (one line of base64 X.509 DER; "
            + ControllerKeyConfig.GENERATE_HINT + ")");
      }
    }, null);
  }
}
