package io.pharos.core.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context that trusts exactly the CA certificates of a PEM text (the API's CA), for
 * the CLI and for controllers calling each other's API. Host names are still checked by the HTTP
 * client against the certificate. Pure: reading the file is the caller's business.
 */
public final class TrustedCa {
  private TrustedCa() {}

  /**
   * @throws IllegalArgumentException when the text holds no certificate
   */
  public static SSLContext sslContext(String pem) {
    try {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the CA file");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("not a PEM CA certificate: " + e.getMessage());
    }
  }
}
