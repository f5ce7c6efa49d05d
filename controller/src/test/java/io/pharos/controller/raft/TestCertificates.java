package io.pharos.controller.raft;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway CA and node certificates for TLS tests (generated per run, never committed). */
public final class TestCertificates {
  private TestCertificates() {}

  /** PEM files of one node. */
  public record Files3(Path cert, Path key, Path ca) {}

  public record Ca(KeyPair keys, X509Certificate cert) {}

  public static Ca ca(String name) throws Exception {
    KeyPair kp = rsa();
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + name),
        kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    return new Ca(kp, new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()))));
  }

  public static Files3 node(Ca ca, String name, Path dir) throws Exception {
    KeyPair kp = rsa();
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(ca.cert(), BigInteger.valueOf(now.toEpochMilli() + name.hashCode()),
        Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + name),
        kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate())));
    Files.createDirectories(dir);
    Path c = dir.resolve(name + ".crt");
    Path k = dir.resolve(name + ".key");
    Path a = dir.resolve(name + "-ca.crt");
    Files.writeString(c, pem(cert));
    Files.writeString(k, pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
    Files.writeString(a, pem(ca.cert()));
    return new Files3(c, k, a);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
