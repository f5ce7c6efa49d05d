package io.pharos.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.sandbox.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultServerTest {
  @Test
  void blackholeHoldsRequestsUntilClearedWhileControlStaysAnswerable() throws Exception {
    try (FaultServer s = new FaultServer("127.0.0.1", 0).start()) {
      String base = "http://127.0.0.1:" + s.port();
      assertThat(Http.send("PUT", base + "/_fault", "{\"blackhole\":true}").orElseThrow().status()).isEqualTo(200);
      HttpClient c = HttpClient.newHttpClient();
      long t0 = System.nanoTime();
      try {
        c.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofMillis(400)).build(),
            HttpResponse.BodyHandlers.ofString());
        throw new AssertionError("a blackholed request was answered");
      } catch (HttpTimeoutException expected) {
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(350).toNanos());
      }
      assertThat(FaultServer.Fault.parse(Http.get(base + "/_fault").orElseThrow().body()).blackhole()).isTrue();
      assertThat(Http.send("DELETE", base + "/_fault", null).orElseThrow().status()).isEqualTo(200);
      assertThat(Http.get(base + "/healthz").orElseThrow().body()).isEqualTo("ok\n");
    }
  }

  @Test
  void latencyOnAShareOfRequestsAndASettableLag() throws Exception {
    try (FaultServer s = new FaultServer("127.0.0.1", 0).start()) {
      String base = "http://127.0.0.1:" + s.port();
      s.set(new FaultServer.Fault(0, 503, 5_000, false, 0.0, false));
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertThat(Http.get(base + "/healthz").orElseThrow().status()).isEqualTo(200);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(Http.get(base + "/_lag").orElseThrow().json().path("lagSeconds").asDouble()).isZero();
      assertThat(Http.send("PUT", base + "/_lag", "{\"lagSeconds\": 2.5}").orElseThrow().status()).isEqualTo(200);
      assertThat(s.lagSeconds()).isEqualTo(2.5);
      assertThat(Http.send("PUT", base + "/_fault", "{\"latencyRate\": 2}").orElseThrow().status()).isEqualTo(400);
    }
  }
}
