package io.pharos.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
  @TempDir
  Path dir;

  @Test
  void issuesCertificatesTheJdkValidatesAgainstTheirCaOnly() throws Exception {
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    TestPki.Issued c1 = ca.issue("c1", "127.0.0.1", "c1.pharos.test");
    X509Certificate cert = c1.certificate();
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=c1");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList())
        .containsExactly("127.0.0.1", "c1.pharos.test");
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    cert.verify(ca.keys().getPublic());

    trusting(ca).checkClientTrusted(new X509Certificate[] {cert}, "ECDHE_ECDSA");
    TestPki.Issued foreign = TestPki.authority("another-ca").issue("c1", "127.0.0.1");
    assertThatThrownBy(() -> trusting(ca).checkClientTrusted(new X509Certificate[] {foreign.certificate()},
        "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
  }

  @Test
  void writesPemThatReadsBack() {
    TestPki.Authority ca = TestPki.authority("test-only-ca");
    ca.write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    TestPki.Authority again = TestPki.readAuthority(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    TestPki.PemFiles files = again.issue("c2", List.of("10.77.1.3"), java.time.Duration.ofDays(1)).write(dir, "c2");
    X509Certificate c2 = TestPki.readCertificate(files.cert());
    assertThat(c2.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(TestPki.readKey(files.key()).getAlgorithm()).isEqualTo("EC");
  }

  private static X509TrustManager trusting(TestPki.Authority ca) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
    f.init(ks);
    return (X509TrustManager) f.getTrustManagers()[0];
  }
}
