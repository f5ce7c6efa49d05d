package io.pharos.core.config;

import io.pharos.core.security.ControllerKeys;
import io.pharos.core.security.Ed25519;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The controllers' Ed25519 key (secrets.md), as the {@code security} section names it. The public
 * key is in everyone's config; the private key is on controllers only, in the file
 * {@code security.controllerKeyFile} or the environment variable {@code security.controllerKeyEnv}
 * (default {@code PHAROS_CONTROLLER_KEY}). The loader reads no files: a key file is read when a
 * controller asks for {@link #signingKey}. Nothing here prints a private key.
 *
 * @param publicKey {@code security.controllerPublicKey}, or null when not configured
 * @param previousPublicKey {@code security.controllerPreviousPublicKey}: still trusted during a
 *     rotation, or null
 * @param keyFile {@code security.controllerKeyFile}, or null
 * @param keyEnv the environment variable that may hold the private key
 * @param keyFromEnv the private key found in {@code keyEnv}, or null
 */
public record ControllerKeyConfig(
    PublicKey publicKey, PublicKey previousPublicKey, String keyFile, String keyEnv, PrivateKey keyFromEnv) {
  public static final String DEFAULT_KEY_ENV = "PHAROS_CONTROLLER_KEY";
  static final String GENERATE_HINT = "`pharos keys generate` prints a new pair";

  /** None configured (a config that starts neither a controller nor an agent). */
  public static ControllerKeyConfig none() {
    return new ControllerKeyConfig(null, null, null, DEFAULT_KEY_ENV, null);
  }

  public boolean hasPublicKey() {
    return publicKey != null;
  }

  /** The keys whose signatures agents and applications trust: the current one, then the previous one. */
  public List<PublicKey> trusted() {
    List<PublicKey> out = new ArrayList<>();
    if (publicKey != null) {
      out.add(publicKey);
    }
    if (previousPublicKey != null) {
      out.add(previousPublicKey);
    }
    return out;
  }

  /** What an agent needs: the public key, or a message that says what to configure. */
  public List<PublicKey> requireTrusted(String who) {
    if (publicKey == null) {
      throw new ConfigException("security.controllerPublicKey: is required for " + who + " (the controllers'"
          + " Ed25519 public key, one line of base64; " + GENERATE_HINT + ")");
    }
    return trusted();
  }

  /**
   * The controllers' private key for signing, from the environment or the key file (read with
   * {@code readFile}), checked against the configured public key. Controllers call it at start.
   *
   * @return the key and the public key it pairs with (the current or, during a rotation, the previous)
   * @throws ConfigException naming the field when the key is missing, unreadable, malformed, both
   *     places are set, or it belongs to neither configured public key
   */
  public SigningKey signingKey(Function<String, String> readFile) {
    List<PublicKey> trusted = requireTrusted("a controller");
    if (keyFromEnv != null && keyFile != null) {
      throw new ConfigException("security.controllerKeyFile: the private key is both in the environment ("
          + keyEnv + ") and in " + keyFile + "; keep one");
    }
    PrivateKey key = keyFromEnv;
    if (key == null) {
      if (keyFile == null) {
        throw new ConfigException("security.controllerKeyFile: a controller needs the controllers' private key:"
            + " set security.controllerKeyFile to its PEM file, or the environment variable " + keyEnv + " ("
            + GENERATE_HINT + ")");
      }
      String text;
      try {
        text = readFile.apply(keyFile);
      } catch (RuntimeException e) {
        throw new ConfigException("security.controllerKeyFile: cannot read " + keyFile + ": "
            + e.getClass().getSimpleName());
      }
      try {
        key = Ed25519.privateKey(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("security.controllerKeyFile: " + keyFile + " holds no Ed25519 private key"
            + " (PKCS#8 PEM expected; " + GENERATE_HINT + ")");
      }
    }
    for (PublicKey p : trusted) {
      if (ControllerKeys.pairs(key, p)) {
        return new SigningKey(key, p);
      }
    }
    throw new ConfigException((keyFromEnv != null ? "security.controllerKeyEnv" : "security.controllerKeyFile")
        + ": the private key does not belong to security.controllerPublicKey (" + ControllerKeys.keyId(publicKey)
        + (previousPublicKey == null ? "" : ") nor to security.controllerPreviousPublicKey ("
            + ControllerKeys.keyId(previousPublicKey)) + ")");
  }

  /** A private key and the configured public key it pairs with. */
  public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    @Override
    public String toString() {
      return "SigningKey[keyId=" + ControllerKeys.keyId(publicKey) + ", privateKey=<redacted>]";
    }
  }

  @Override
  public String toString() {
    return "ControllerKeyConfig[publicKey=" + (publicKey == null ? "none" : ControllerKeys.keyId(publicKey))
        + ", previousPublicKey=" + (previousPublicKey == null ? "none" : ControllerKeys.keyId(previousPublicKey))
        + ", keyFile=" + keyFile + ", keyEnv=" + keyEnv + ", keyFromEnv=" + (keyFromEnv == null ? "none" : "<redacted>")
        + "]";
  }
}
