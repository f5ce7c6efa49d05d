package io.pharos.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.controller.raft.TestCertificates;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.security.TrustedCa;
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
    TestCertificates.Files3 files = TestCertificates.node(TestCertificates.ca("api-ca"), "c1", dir.resolve("tls"));
    ApiConfig d = ApiConfig.defaults();
    ApiConfig.Tls tls = new ApiConfig.Tls(files.cert().toString(), files.key().toString(), files.ca().toString());
    try (ApiFixture api = new ApiFixture(dir, new ApiConfig(null, d.open(), tls, d.failedAuthPerIp(), d.perToken(),
        d.bodyLimit(), d.auditRetain(), null, d.breakGlassGrant()))) {
      HttpClient trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .sslContext(TrustedCa.sslContext(Files.readString(files.ca()))).build();
      URI status = URI.create("https://127.0.0.1:" + api.port() + "/v1/status");
      HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(status)
          .header("Authorization", "Bearer " + api.viewer.token()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);

      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(status).build(),
          HttpResponse.BodyHandlers.ofString())).as("a client that does not trust the CA").isInstanceOf(
          javax.net.ssl.SSLHandshakeException.class);
      SSLParameters old = new SSLParameters();
      old.setProtocols(new String[] {"TLSv1.1"});
      HttpClient tls11 = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(Files.readString(files.ca())))
          .sslParameters(old).build();
      assertThatThrownBy(() -> tls11.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()))
          .as("TLS 1.1").isInstanceOf(java.io.IOException.class);
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + api.port() + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
          .as("plain HTTP on the TLS port").isInstanceOf(java.io.IOException.class);
    }
  }
}
