package io.pharos.agent.probe;

import static io.pharos.agent.probe.ProbeFixtures.await;
import static io.pharos.agent.probe.ProbeFixtures.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.TestHttpServer;
import io.pharos.agent.Ticker;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.testkit.proc.Ports;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  static Vertx vertx;
  static TestHttpServer server;
  static WebClient client;
  static HttpProbe probe;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    server = TestHttpServer.start();
    client = HttpProbe.createClient(vertx);
    probe = new HttpProbe(vertx, client, Clock.systemUTC(), Ticker.system());
  }

  @AfterAll
  static void tearDown() {
    client.close();
    server.close();
    vertx.close().await();
  }

  @Test
  void expected_status_and_body_is_up_with_latency() throws Exception {
    Observation o = await(probe.probe(http(server.url("/ok"), "ok", 2000, 1000)));
    assertThat(o.ok()).isTrue();
    assertThat(o.failure()).isEqualTo(FailureKind.NONE);
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.latencyMicros()).isPositive();
    assertThat(o.targetRegion()).isEqualTo("a");
    assertThat(o.endpointId()).isEqualTo("app");
  }

  @Test
  void unexpected_status_is_a_status_failure_with_the_status() throws Exception {
    Observation o = await(probe.probe(http(server.url("/status"), null, 2000, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.STATUS);
    assertThat(o.status()).isEqualTo(503);
  }

  @Test
  void body_without_the_expected_text_is_a_body_failure() throws Exception {
    Observation o = await(probe.probe(http(server.url("/body"), "ok", 2000, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.BODY);
    assertThat(o.status()).isEqualTo(200);
  }

  @Test
  void slower_than_the_latency_budget_is_still_ok_and_reports_its_latency() throws Exception {
    Observation o = await(probe.probe(http(server.url("/slow"), "ok", 2000, 50)));
    assertThat(o.ok()).as("the controller applies the budget, not the agent").isTrue();
    assertThat(o.latencyMicros()).isGreaterThanOrEqualTo((int) (TestHttpServer.SLOW_MILLIS * 1000));
  }

  @Test
  void a_server_that_never_answers_times_out_at_the_probe_timeout() throws Exception {
    Observation o = await(probe.probe(http(server.url("/hang"), null, 300, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(o.latencyMicros()).isBetween(280_000, 5_000_000);
  }

  @Test
  void a_closed_port_is_refused() throws Exception {
    Observation o = await(probe.probe(http("http://127.0.0.1:" + Ports.free() + "/", null, 2000, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.REFUSED);
    assertThat(o.status()).isZero();
  }

  @Test
  void https_to_a_server_that_does_not_speak_tls_is_a_tls_failure() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        s.getInputStream().read(new byte[1024]); // the ClientHello
        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      });
      Observation o = await(probe.probe(http("https://127.0.0.1:" + listener.getLocalPort() + "/", null, 2000, 1000)));
      assertThat(o.ok()).isFalse();
      assertThat(o.failure()).isEqualTo(FailureKind.TLS);
    }
  }

  @Test
  void a_connection_reset_mid_request_is_a_reset() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        s.getInputStream().read(new byte[1024]); // the request has arrived
        s.setSoLinger(true, 0); // close with RST
      });
      Observation o = await(probe.probe(http("http://127.0.0.1:" + listener.getLocalPort() + "/", null, 2000, 1000)));
      assertThat(o.ok()).isFalse();
      assertThat(o.failure()).isEqualTo(FailureKind.RESET);
    }
  }

  interface Conversation {
    void run(Socket s) throws Exception;
  }

  /** Accepts one connection on a daemon thread, runs the conversation, closes the socket. */
  static void serveOnce(ServerSocket listener, Conversation conversation) {
    Thread t = new Thread(() -> {
      try (Socket s = listener.accept()) {
        conversation.run(s);
      } catch (Exception ignored) {
        // the test asserts on the client's side
      }
    }, "test-raw-server");
    t.setDaemon(true);
    t.start();
  }
}
