package io.pharos.controller.raft;

import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ControllersConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * How controllers talk Raft: mutual TLS for every Raft channel (server, client and admin ports,
 * which share one configuration), with a trust manager of our own ({@link PeerTrustManager}) so
 * that only controllers of this group get in. Ratis 3.3 takes a {@link KeyManager} and a
 * {@link TrustManager} ({@code GrpcTlsConfig(KeyManager, TrustManager, boolean)}), and with mutual
 * TLS on its server requires a client certificate ({@code ClientAuth.REQUIRE}) checked by that
 * trust manager. Plaintext only where the config allows it ({@link Transport}).
 */
final class RaftTls {
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

  private RaftTls() {}

  /** What protects the Raft port. */
  enum Transport {
    MUTUAL_TLS("mutual TLS"),
    LOOPBACK_PLAINTEXT("plaintext (every controller on loopback)"),
    INSECURE_PLAINTEXT("INSECURE plaintext (controllers.insecurePlaintext: true)");

    private final String description;

    Transport(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }

    /** The start-up line: loud when the config opted out of TLS off loopback. */
    void log(org.slf4j.Logger log, ControllerPeer self) {
      if (this == INSECURE_PLAINTEXT) {
        log.error("INSECURE: controller {} serves Raft on {} in plaintext (controllers.insecurePlaintext: true)."
            + " Anyone who can reach that port can commit journal entries: fail regions over, pause automation,"
            + " change the members. Configure controllers.tls (docs/security/raft.md) before production use.",
            self.id(), self.raft());
      } else {
        log.info("controller {}: Raft on {} over {}", self.id(), self.raft(), description);
      }
    }

    /** @throws RaftStartException when the config has no TLS and a peer is off loopback without the opt-out */
    static Transport of(ControllersConfig controllers) {
      if (controllers.tls() != null) {
        return MUTUAL_TLS;
      }
      if (controllers.insecurePlaintext()) {
        return INSECURE_PLAINTEXT;
      }
      if (controllers.loopbackOnly()) {
        return LOOPBACK_PLAINTEXT;
      }
      throw new RaftStartException("controllers.tls is required: a controller's Raft address is not loopback, and"
          + " the Raft port must not accept plaintext from the network (docs/security/raft.md)", null);
    }
  }

  /**
   * The parameters every Raft server and client of this controller is built with: mutual TLS when
   * configured (after checking this controller's own certificate), none otherwise.
   *
   * @param refused told of every certificate the Raft port or a Raft client refused
   */
  static Parameters parameters(ControllersConfig controllers, ControllerPeer self, PeerIdentities peers,
      Consumer<CertificateException> refused) {
    Parameters parameters = new Parameters();
    if (Transport.of(controllers) == Transport.MUTUAL_TLS) {
      GrpcConfigKeys.TLS.setConf(parameters, config(controllers.tls().forController(self.id()), self, peers, refused));
    }
    return parameters;
  }

  static GrpcTlsConfig config(ControllersConfig.Tls tls, ControllerPeer self, PeerIdentities peers,
      Consumer<CertificateException> refused) {
    List<X509Certificate> chain = certificates("certFile", tls.certFile());
    List<X509Certificate> cas = certificates("caFile", tls.caFile());
    PrivateKey key = privateKey(tls.keyFile(), chain.get(0));
    X509ExtendedTrustManager ca = caTrust(cas);
    try {
      ca.checkClientTrusted(chain.toArray(X509Certificate[]::new), chain.get(0).getPublicKey().getAlgorithm());
    } catch (CertificateException e) {
      throw new RaftStartException("controllers.tls.certFile: " + tls.certFile() + " is not signed by a CA of"
          + " controllers.tls.caFile (" + tls.caFile() + ") or is not valid now: " + e.getMessage(), e);
    }
    String named;
    try {
      named = PeerTrustManager.identify(chain.get(0), peers);
    } catch (CertificateException e) {
      throw new RaftStartException("controllers.tls.certFile: " + tls.certFile() + " cannot be this controller's: "
          + e.getMessage() + " (docs/security/raft.md)", e);
    }
    if (!named.equals(self.id())) {
      throw new RaftStartException("controllers.tls.certFile: " + tls.certFile() + " is controller " + named
          + "'s certificate, not " + self.id() + "'s (its subject CN must be this controller's id)", null);
    }
    return new GrpcTlsConfig(keyManager(key, chain), new PeerTrustManager(ca, peers, refused), true);
  }

  private static List<X509Certificate> certificates(String field, String file) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
          new ByteArrayInputStream(read(field, file)))) {
        out.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new RaftStartException("controllers.tls." + field + ": " + file + " is not a PEM certificate file: "
          + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new RaftStartException("controllers.tls." + field + ": " + file + " holds no certificate", null);
    }
    return out;
  }

  /** A PKCS#8 key ({@code BEGIN PRIVATE KEY}) that belongs to {@code cert}; the key is never logged. */
  private static PrivateKey privateKey(String file, X509Certificate cert) {
    String text = new String(read("keyFile", file), StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(text);
    if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
      throw new RaftStartException("controllers.tls.keyFile: " + file + " is not an unencrypted PKCS#8 PEM key"
          + " ('BEGIN PRIVATE KEY'); convert one with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key", null);
    }
    String algorithm = cert.getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(
          Base64.getMimeDecoder().decode(m.group(2))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new RaftStartException("controllers.tls.keyFile: " + file + " is not a " + algorithm
          + " key like the certificate's", e);
    }
    if (!matches(key, cert)) {
      throw new RaftStartException("controllers.tls.keyFile: " + file + " does not belong to the certificate in"
          + " controllers.tls.certFile", null);
    }
    return key;
  }

  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String alg = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(nonce);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(nonce);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static X509ExtendedTrustManager caTrust(List<X509Certificate> cas) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(ks);
      for (TrustManager t : f.getTrustManagers()) {
        if (t instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new RaftStartException("controllers.tls.caFile: cannot trust its certificates: " + e.getMessage(), e);
    }
  }

  private static KeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
    try {
      // the key store lives only in memory; its password protects nothing and is never written
      char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("controller", key, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory f = KeyManagerFactory.getInstance("PKIX");
      f.init(ks, password);
      return f.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new RaftStartException("controllers.tls: cannot use the certificate and key: " + e.getMessage(), e);
    }
  }

  private static byte[] read(String field, String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException | RuntimeException e) {
      throw new RaftStartException("controllers.tls." + field + ": cannot read " + file, e);
    }
  }
}
