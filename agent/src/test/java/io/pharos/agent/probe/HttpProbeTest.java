package io.pharos.agent.probe;

import static io.pharos.agent.probe.ProbeFixtures.await;
import static io.pharos.agent.probe.ProbeFixtures.http;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.TestHttpServer;
import io.pharos.agent.Ticker;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.tls.TestPki;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
  static Vertx vertx;
  static TestHttpServer server;
  static HttpProbe probe;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    server = TestHttpServer.start();
    probe = new HttpProbe(vertx, Clock.systemUTC(), Ticker.system());
    // A cold JVM on a loaded machine took over 2 s for its first probe (class loading, Netty and
    // TLS set-up, JIT): warm the client up once, untimed, so no test's own timeout races that
    await(probe.probe(http(server.url("/ok"), "ok", 60_000, 60_000)));
  }

  /** A timeout for probes whose timing is not what a test checks: they end when answered. */
  private static final long ANSWERED = 10_000;

  @AfterAll
  static void tearDown() {
    server.close();
    vertx.close().await();
  }

  @Test
  void expected_status_and_body_is_up_with_latency() throws Exception {
    Observation o = await(probe.probe(http(server.url("/ok"), "ok", ANSWERED, 1000)));
    assertThat(o.ok()).isTrue();
    assertThat(o.failure()).isEqualTo(FailureKind.NONE);
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.latencyMicros()).isPositive();
    assertThat(o.targetRegion()).isEqualTo("a");
    assertThat(o.endpointId()).isEqualTo("app");
  }

  @Test
  void unexpected_status_is_a_status_failure_with_the_status() throws Exception {
    Observation o = await(probe.probe(http(server.url("/status"), null, ANSWERED, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.STATUS);
    assertThat(o.status()).isEqualTo(503);
  }

  @Test
  void body_without_the_expected_text_is_a_body_failure() throws Exception {
    Observation o = await(probe.probe(http(server.url("/body"), "ok", ANSWERED, 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.BODY);
    assertThat(o.status()).isEqualTo(200);
  }

  @Test
  void slower_than_the_latency_budget_is_still_ok_and_reports_its_latency() throws Exception {
    Observation o = await(probe.probe(http(server.url("/slow"), "ok", ANSWERED, 50)));
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
  void a_probe_beyond_the_hosts_connections_waits_for_room_and_its_timeout_runs_only_once_it_starts()
      throws Exception {
    // every connection the agent allows to the host held by a probe of an endpoint that never answers
    List<Future<Observation>> held = new ArrayList<>();
    for (int i = 0; i < HttpProbe.MAX_CONNECTIONS_PER_HOST; i++) {
      held.add(probe.probe(http(server.url("/hang"), null, 1_000, 1_000)));
    }
    // waits ~1 s for room, longer than its own timeout: not made, no verdict on the endpoint
    Future<Observation> late = probe.probe(http(server.url("/ok"), "ok", 500, 500));
    // waits ~1 s too, within its 3 s timeout: made once there is room, and it passes
    Future<Observation> patient = probe.probe(http(server.url("/ok"), "ok", 3_000, 3_000));
    Throwable skipped = late.toCompletionStage().toCompletableFuture().handle((o, e) -> e)
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(skipped).as("waited longer than its timeout: skipped, not a TIMEOUT of the endpoint")
        .isInstanceOf(ProbeSkipped.class).hasMessageContaining(HttpProbe.MAX_CONNECTIONS_PER_HOST + " probes of 127.0.0.1:");
    Observation o = await(patient);
    assertThat(o.ok()).as("made when a held probe ended").isTrue();
    assertThat(o.latencyMicros()).as("its latency counts from its start, not from its wait").isLessThan(500_000);
    for (Future<Observation> f : held) {
      assertThat(await(f).failure()).isEqualTo(FailureKind.TIMEOUT);
    }
    // once they are done, the host takes probes at once again
    assertThat(await(probe.probe(http(server.url("/ok"), "ok", ANSWERED, ANSWERED))).ok()).isTrue();
  }

  @Test
  void a_trickling_endpoint_times_out_and_its_connection_is_closed_at_the_deadline() throws Exception {
    try (TricklingServer trickle = new TricklingServer(50, 1)) {
      for (int i = 0; i < 5; i++) {
        Observation o = await(probe.probe(http(trickle.url("/trickle"), null, 300, 1000)));
        assertThat(o.failure()).isEqualTo(FailureKind.TIMEOUT);
      }
      // the server notices each reset at its next byte (50 ms): no connection stays open
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> trickle.open() == 0);
      assertThat(trickle.accepted()).isEqualTo(5);
    }
  }

  @Test
  void a_trickling_body_with_an_expected_text_is_given_up_at_the_deadline_too() throws Exception {
    try (TricklingServer trickle = new TricklingServer(50, 16)) {
      Observation o = await(probe.probe(http(trickle.url("/trickle"), "ok", 300, 1000)));
      assertThat(o.failure()).isEqualTo(FailureKind.TIMEOUT);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> trickle.open() == 0);
    }
  }

  @Test
  void a_huge_body_is_read_only_up_to_the_cap() throws Exception {
    // 1 GB announced, sent as fast as the probe reads it; the expected text never comes
    try (TricklingServer flood = new TricklingServer(0, 64 * 1024)) {
      Observation o = await(probe.probe(http(flood.url("/big"), "ok", 10_000, 10_000)));
      assertThat(o.failure()).isEqualTo(FailureKind.BODY);
      assertThat(o.status()).isEqualTo(200);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> flood.open() == 0);
      // what the server got out before the reset: the cap plus what the socket buffers hold
      assertThat(flood.bodyBytesSent()).isLessThan(16L * 1024 * 1024);
    }
  }

  @Test
  void the_expected_text_is_found_across_chunk_boundaries() throws Exception {
    server.app(200, "x".repeat(40_000) + "all good" + "y".repeat(1_000));
    Observation o = await(probe.probe(http(server.url("/app"), "all good", 10_000, 10_000)));
    assertThat(o.ok()).isTrue();
  }

  @Test
  void a_body_without_an_expected_text_is_read_up_to_the_cap_and_passes() throws Exception {
    try (TricklingServer flood = new TricklingServer(0, 64 * 1024)) {
      Observation o = await(probe.probe(http(flood.url("/big"), null, 10_000, 10_000)));
      assertThat(o.ok()).isTrue();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> flood.open() == 0);
    }
  }

  @Test
  void the_scan_finds_a_text_split_between_two_chunks_and_keeps_only_a_tail() {
    BodyScan scan = new BodyScan("all good".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(scan.feed(io.netty.buffer.Unpooled.copiedBuffer("x".repeat(5_000) + "all g", UTF_8))).isFalse();
    assertThat(scan.feed(io.netty.buffer.Unpooled.copiedBuffer("ood and more", UTF_8))).isTrue();
    assertThat(scan.read()).isEqualTo(5_005 + 12);
    BodyScan other = new BodyScan("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(other.feed(io.netty.buffer.Unpooled.copiedBuffer("o", UTF_8))).isFalse();
    assertThat(other.feed(io.netty.buffer.Unpooled.copiedBuffer("k", UTF_8))).isTrue();
  }

  @Test
  void a_host_name_is_resolved_by_vertx_s_resolver() throws Exception {
    // "localhost" comes from the hosts file: no query leaves the machine
    Observation o = await(probe.probe(http(server.url("/ok").replace("127.0.0.1", "localhost"), "ok", ANSWERED, 1000)));
    assertThat(o.ok()).isTrue();
    assertThat(o.status()).isEqualTo(200);
  }

  @Test
  void a_closed_port_is_refused() throws Exception {
    Observation o = await(probe.probe(http("http://127.0.0.1:" + Ports.free() + "/", null, ANSWERED, 1000)));
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
      Observation o = await(probe.probe(http("https://127.0.0.1:" + listener.getLocalPort() + "/", null, ANSWERED, 1000)));
      assertThat(o.ok()).isFalse();
      assertThat(o.failure()).isEqualTo(FailureKind.TLS);
    }
  }

  @Test
  void https_with_a_trusted_certificate_naming_the_host_is_up_and_one_naming_another_host_is_a_tls_failure(
      @TempDir Path dir) throws Exception {
    TestPki.Authority ca = TestPki.authority("probe-test-ca");
    HttpProbe trusting = new HttpProbe(vertx, SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .trustManager(ca.certificate()).build(), Clock.systemUTC(), Ticker.system());
    HttpServer right = httpsServer(ca.issue("right", "127.0.0.1").write(dir, "right"));
    HttpServer wrong = httpsServer(ca.issue("wrong", "other.example").write(dir, "wrong"));
    try {
      Observation up = await(trusting.probe(http("https://127.0.0.1:" + right.actualPort() + "/health", "ok",
          ANSWERED, 1000)));
      assertThat(up.ok()).isTrue();
      assertThat(up.status()).isEqualTo(200);
      Observation named = await(trusting.probe(http("https://127.0.0.1:" + wrong.actualPort() + "/health", "ok",
          ANSWERED, 1000)));
      assertThat(named.ok()).isFalse();
      assertThat(named.failure()).as("the certificate names other.example, not 127.0.0.1").isEqualTo(FailureKind.TLS);
      Observation untrusted = await(probe.probe(http("https://127.0.0.1:" + right.actualPort() + "/health", "ok",
          ANSWERED, 1000)));
      assertThat(untrusted.failure()).as("the JDK's trust store does not hold the test CA").isEqualTo(FailureKind.TLS);
    } finally {
      right.close().await();
      wrong.close().await();
    }
  }

  @Test
  void a_response_closed_before_its_headers_end_is_a_reset() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        s.getInputStream().read(new byte[1024]);
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Le".getBytes(UTF_8));
        s.getOutputStream().flush();
      });
      Observation o = await(probe.probe(http("http://127.0.0.1:" + listener.getLocalPort() + "/", null, ANSWERED, 1000)));
      assertThat(o.ok()).isFalse();
      assertThat(o.failure()).isEqualTo(FailureKind.RESET);
    }
  }

  @Test
  void a_body_ended_by_the_close_counts_and_a_100_continue_is_passed_over() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        s.getInputStream().read(new byte[1024]);
        s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall ok"
            .getBytes(UTF_8));
        s.getOutputStream().flush();
      });
      Observation o = await(probe.probe(http("http://127.0.0.1:" + listener.getLocalPort() + "/", "all ok", ANSWERED,
          1000)));
      assertThat(o.ok()).isTrue();
      assertThat(o.status()).isEqualTo(200);
    }
  }

  @Test
  void the_request_names_the_host_and_port_asks_to_close_and_sends_the_query() throws Exception {
    java.util.concurrent.CompletableFuture<String> head = new java.util.concurrent.CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        head.complete(new String(buf, 0, n, UTF_8));
        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(UTF_8));
        s.getOutputStream().flush();
      });
      int port = listener.getLocalPort();
      Observation o = await(probe.probe(http("http://127.0.0.1:" + port + "/health?deep=1", "ok", ANSWERED, 1000)));
      assertThat(o.ok()).isTrue();
      assertThat(head.get(5, java.util.concurrent.TimeUnit.SECONDS)).startsWith("GET /health?deep=1 HTTP/1.1\r\n")
          .contains("\r\nHost: 127.0.0.1:" + port + "\r\n", "\r\nConnection: close\r\n",
              "\r\nUser-Agent: pharos-agent\r\n").endsWith("\r\n\r\n");
    }
  }

  private static HttpServer httpsServer(TestPki.PemFiles pem) {
    return vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pem.cert().toString())
                .setKeyPath(pem.key().toString())))
        .requestHandler(r -> r.response().end("ok")).listen().await();
  }

  @Test
  void a_connection_reset_mid_request_is_a_reset() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      serveOnce(listener, s -> {
        s.getInputStream().read(new byte[1024]); // the request has arrived
        s.setSoLinger(true, 0); // close with RST
      });
      Observation o = await(probe.probe(http("http://127.0.0.1:" + listener.getLocalPort() + "/", null, ANSWERED, 1000)));
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
