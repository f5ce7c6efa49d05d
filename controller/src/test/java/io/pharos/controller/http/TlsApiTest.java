package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ApiConfig;
import io.pharos.core.security.TrustedCa;
import io.pharos.testkit.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over TLS 1.2+ with a throwaway CA (generated per run). */
class TlsApiTest {
  @TempDir
  Path dir;

  @Test
  void theApiSpeaksTls12OrNewerOnlyWithTheConfiguredCertificate() throws Exception {
    TestPki.Authority ca = TestPki.authority("api-ca");
    Path caFile = ca.writeCertificate(Files.createDirectories(dir.resolve("tls")).resolve("ca.pem"));
    TestPki.PemFiles files = ca.issue("c1", "127.0.0.1", "localhost").write(dir.resolve("tls"), "c1");
    ApiConfig d = ApiConfig.defaults();
    ApiConfig.Tls tls = new ApiConfig.Tls(files.cert().toString(), files.key().toString(), caFile.toString());
    try (ApiFixture api = new ApiFixture(dir, new ApiConfig(null, d.open(), tls, d.failedAuthPerIp(), d.perToken(),
        d.bodyLimit(), d.auditRetain(), null, d.breakGlassGrant()))) {
      HttpClient trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .sslContext(TrustedCa.sslContext(Files.readString(caFile))).build();
      URI status = URI.create("https://127.0.0.1:" + api.port() + "/v1/status");
      HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(status)
          .header("Authorization", "Bearer " + api.viewer.token()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);

      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(status).build(),
          HttpResponse.BodyHandlers.ofString())).as("a client that does not trust the CA").isInstanceOf(
          javax.net.ssl.SSLHandshakeException.class);
      SSLParameters old = new SSLParameters();
      old.setProtocols(new String[] {"TLSv1.1"});
      HttpClient tls11 = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(Files.readString(caFile)))
          .sslParameters(old).build();
      assertThatThrownBy(() -> tls11.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()))
          .as("TLS 1.1").isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + api.port() + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
          .as("plain HTTP on the TLS port").isInstanceOf(java.io.IOException.class);
    }
  }
}
