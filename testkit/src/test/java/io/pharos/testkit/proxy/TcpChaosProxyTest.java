package io.pharos.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.testkit.FaultServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpChaosProxyTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> get(TcpChaosProxy p, Duration timeout) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/healthz"))
        .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsThenAddsLatencyResetsAndBlackholesAtRunTime() throws Exception {
    try (FaultServer app = new FaultServer("127.0.0.1", 0).start();
        TcpChaosProxy p = new TcpChaosProxy(new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", app.port())).start()) {
      assertThat(get(p, Duration.ofSeconds(5)).body()).isEqualTo("ok\n");

      p.set(Toxics.latency(Duration.ofMillis(300), Duration.ofMillis(50)));
      long t0 = System.nanoTime();
      assertThat(get(p, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(550));

      p.set(Toxics.resets(1.0));
      try {
        get(p, Duration.ofSeconds(5));
        throw new AssertionError("a reset connection answered");
      } catch (java.io.IOException expected) {
        assertThat(p.resets()).isPositive();
      }

      p.set(Toxics.blackholed());
      try {
        get(p, Duration.ofMillis(500));
        throw new AssertionError("a blackholed connection answered");
      } catch (HttpTimeoutException expected) {
        // nothing came back
      }

      p.clear();
      assertThat(get(p, Duration.ofSeconds(5)).body()).isEqualTo("ok\n");
    }
  }

  @Test
  void bandwidthLimitSlowsABigTransfer() throws Exception {
    try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 5,
        java.net.InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (java.net.Socket s = upstream.accept()) {
          s.getOutputStream().write(new byte[64 * 1024]);
        } catch (java.io.IOException ignored) {
          // test ends
        }
      });
      server.start();
      try (TcpChaosProxy p = new TcpChaosProxy(new InetSocketAddress("127.0.0.1", 0),
          new InetSocketAddress("127.0.0.1", upstream.getLocalPort())).start()) {
        p.set(Toxics.bandwidth(64 * 1024)); // 64 KiB at 64 KiB/s: about a second
        long t0 = System.nanoTime();
        try (java.net.Socket c = new java.net.Socket("127.0.0.1", p.port())) {
          byte[] all = c.getInputStream().readAllBytes();
          assertThat(all).hasSize(64 * 1024);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
      }
      server.join(5_000);
    }
  }
}
