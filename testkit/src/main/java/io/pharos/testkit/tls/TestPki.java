package io.pharos.testkit.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Throwaway certificates for sandboxes, drills and tests: a CA and the certificates it signs
 * (ECDSA P-256, X.509 v3), built with the JDK alone. Every value is generated per run and written
 * under the run's directory; nothing here is a secret worth keeping, and nothing is ever committed.
 *
 * <p>A controller's certificate names its id as the subject CN and its Raft host as a SAN (an IP
 * address or a DNS name), for TLS server and client use, which is what the controllers check
 * (docs/security/raft.md).
 */
public final class TestPki {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestPki() {}

  /** A new CA named {@code name} (its CN), valid from an hour ago for 30 days. */
  public static Authority authority(String name) {
    KeyPair keys = keyPair();
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    byte[] subject = name(name);
    byte[] extensions = Der.sequence(
        extension("2.5.29.19", true, Der.sequence(Der.bool(true))),
        // keyCertSign (bit 5) and cRLSign (bit 6)
        extension("2.5.29.15", true, Der.bits(1, new byte[] {0x06})));
    return new Authority(name, keys, sign(subject, subject, keys, keys.getPrivate(), now.minusHours(1),
        now.plusDays(30), extensions));
  }

  /** A CA as written by {@link Authority#write}. */
  public static Authority readAuthority(Path cert, Path key) {
    X509Certificate c = readCertificate(cert);
    PrivateKey k = readKey(key);
    return new Authority(c.getSubjectX500Principal().getName(), new KeyPair(c.getPublicKey(), k), c);
  }

  /** A CA and what it signs. */
  public record Authority(String name, KeyPair keys, X509Certificate certificate) {
    /**
     * A certificate for TLS clients and servers named {@code commonName}, with {@code sans} (IP
     * addresses or DNS names) as its subject alternative names, valid from an hour ago.
     */
    public Issued issue(String commonName, List<String> sans, Duration validFor) {
      KeyPair kp = keyPair();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      List<byte[]> names = new ArrayList<>();
      for (String s : sans) {
        names.add(IPV4.matcher(s).matches() || s.indexOf(':') >= 0
            ? Der.tagged(7, false, address(s)) : Der.tagged(2, false, s.getBytes(StandardCharsets.US_ASCII)));
      }
      byte[] extensions = Der.sequence(
          extension("2.5.29.19", true, Der.sequence()),
          // digitalSignature (bit 0)
          extension("2.5.29.15", true, Der.bits(7, new byte[] {(byte) 0x80})),
          extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"), Der.oid("1.3.6.1.5.5.7.3.2"))),
          extension("2.5.29.17", false, Der.sequence(names.toArray(byte[][]::new))));
      X509Certificate cert = sign(TestPki.name(commonName), certificate.getSubjectX500Principal().getEncoded(), kp,
          keys.getPrivate(), now.minusHours(1), now.plus(validFor), extensions);
      return new Issued(commonName, kp.getPrivate(), cert, this);
    }

    /** As {@link #issue(String, List, Duration)}, valid for 30 days. */
    public Issued issue(String commonName, String... sans) {
      return issue(commonName, List.of(sans), Duration.ofDays(30));
    }

    /** Writes the CA certificate to {@code cert} and its key to {@code key} (owner-only). */
    public void write(Path cert, Path key) {
      writePem(cert, "CERTIFICATE", encoded(certificate));
      writePem(key, "PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** Writes only the CA certificate (what every controller trusts). */
    public Path writeCertificate(Path file) {
      writePem(file, "CERTIFICATE", encoded(certificate));
      return file;
    }
  }

  /** A certificate and its key. */
  public record Issued(String commonName, PrivateKey key, X509Certificate certificate, Authority issuer) {
    /** Writes {@code <name>.crt} and {@code <name>.key} (owner-only) into {@code dir}. */
    public PemFiles write(Path dir, String name) {
      Path c = dir.resolve(name + ".crt");
      Path k = dir.resolve(name + ".key");
      writePem(c, "CERTIFICATE", encoded(certificate));
      writePem(k, "PRIVATE KEY", key.getEncoded());
      return new PemFiles(c, k);
    }
  }

  /** Where a certificate and its key were written. */
  public record PemFiles(Path cert, Path key) {}

  public static X509Certificate readCertificate(Path pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a certificate: " + pem, e);
    }
  }

  static PrivateKey readKey(Path pem) {
    try {
      String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC PKCS#8 key: " + pem, e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256", e);
    }
  }

  private static byte[] name(String cn) {
    return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8(cn))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
        : Der.sequence(Der.oid(oid), Der.octets(value));
  }

  private static byte[] address(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }

  private static X509Certificate sign(byte[] subject, byte[] issuer, KeyPair subjectKeys, PrivateKey signer,
      ZonedDateTime from, ZonedDateTime to, byte[] extensions) {
    try {
      byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
      byte[] tbs = Der.sequence(
          Der.tagged(0, true, Der.integer(BigInteger.TWO)),
          Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
          algorithm, issuer, Der.sequence(Der.utcTime(from), Der.utcTime(to)), subject,
          subjectKeys.getPublic().getEncoded(),
          Der.tagged(3, true, extensions));
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(signer);
      s.update(tbs);
      byte[] der = Der.sequence(tbs, algorithm, Der.bits(0, s.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a test certificate", e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writePem(Path file, String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, pem);
      if (type.contains("KEY")) {
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the run directory's own permissions apply
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
