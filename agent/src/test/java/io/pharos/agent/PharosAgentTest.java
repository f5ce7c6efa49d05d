package io.pharos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pharos.agent.AgentHttp.Answer;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.metrics.PromText;
import io.pharos.testkit.proc.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent with no controller reachable: it probes, buffers, serves HTTP and stops cleanly. */
class PharosAgentTest {
  static final String PROBES = "{ interval: 200ms, timeout: 150ms, confirmAfter: 50ms, jitter: 50ms, "
      + "downAfter: 2, upAfter: 2, heartbeat: 100ms }";
  static final HostPort ANY_PORT = new HostPort("127.0.0.1", 0);
  static Vertx vertx;
  static TestHttpServer http;
  static TcpListener tcp;
  static PharosConfig config;
  PharosAgent agent;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    http = TestHttpServer.start();
    tcp = new TcpListener();
    config = TestConfigs.twoRegions("pharos-none", http.port(), tcp.port(), Ports.free(), PROBES,
        "{ writePrimary: a }");
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      TestFutures.done(agent.stop());
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    http.close();
    tcp.close();
    vertx.close().await();
  }

  @Test
  void an_unknown_region_is_refused_with_the_configured_ones() {
    assertThatThrownBy(() -> new PharosAgent(TestConfigs.forAgent(config, "mars"), AgentOptions.of("x", "mars", ANY_PORT), vertx,
        Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mars' is not a configured region")
        .hasMessageContaining("[a, b]");
  }

  @Test
  void an_agent_without_its_regions_key_or_with_another_regions_does_not_start() {
    assertThatThrownBy(() -> new PharosAgent(config, AgentOptions.of("x", "a", ANY_PORT), vertx, Clock.systemUTC()))
        .isInstanceOf(io.pharos.core.config.ConfigException.class)
        .hasMessageContaining("PHAROS_REGION_KEY is not set").hasMessageContaining("pharos keys derive --region a");
    assertThatThrownBy(() -> new PharosAgent(TestConfigs.forAgent(config, "b"), AgentOptions.of("x", "a", ANY_PORT),
        vertx, Clock.systemUTC()))
        .isInstanceOf(io.pharos.core.config.ConfigException.class)
        .hasMessageContaining("is region 'b''s, but this agent runs in region 'a'");
  }

  @Test
  void options_are_validated() {
    assertThatThrownBy(() -> new AgentOptions(" ", "a", ANY_PORT, 10)).hasMessageContaining("agentId");
    assertThatThrownBy(() -> new AgentOptions("x", "a", ANY_PORT, 0)).hasMessageContaining("bufferLimit");
    assertThat(AgentOptions.of("x", "a", ANY_PORT).bufferLimit()).isEqualTo(300);
  }

  @Test
  void without_controllers_it_probes_buffers_drops_the_oldest_and_is_not_ready() throws Exception {
    agent = new PharosAgent(TestConfigs.forAgent(config, "a"), new AgentOptions("agent-a1", "a", ANY_PORT, 3), vertx, Clock.systemUTC());
    TestFutures.done(agent.start());
    int port = agent.httpPort();
    assertThat(port).isPositive();

    assertThat(AgentHttp.get(port, "/health").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> agent.status().firstRoundDone()
        && agent.status().transport().dropped() >= 2);
    AgentStatus s = agent.status();
    assertThat(s.transport().connected()).isFalse();
    assertThat(s.transport().buffered()).isEqualTo(3);
    assertThat(s.transport().sent()).isZero();
    assertThat(s.lastResults()).hasSize(3).allSatisfy(o -> assertThat(o.ok()).isTrue());

    Answer ready = AgentHttp.get(port, "/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getString("status")).isEqualTo("DOWN");
    assertThat(ready.json().getJsonObject("checks").getJsonObject("probes").getBoolean("ok")).isTrue();
    assertThat(ready.json().getJsonObject("checks").getJsonObject("controllers").getBoolean("ok")).isFalse();
    assertThat(ready.json().getString("version")).isNotBlank();
    assertThat(ready.json().getLong("uptimeMillis")).isPositive();

    JsonObject status = AgentHttp.get(port, "/v1/status").json();
    assertThat(status.getJsonObject("probes").getLong("run")).isGreaterThanOrEqualTo(3);
    assertThat(status.getJsonObject("reports").getLong("dropped")).isGreaterThanOrEqualTo(2);
    assertThat(status.getJsonObject("reports").getLong("buffered")).isEqualTo(3);
    assertThat(status.getBoolean("connected")).isFalse();
    JsonArray endpoints = status.getJsonArray("endpoints");
    assertThat(endpoints).hasSize(3);
    assertThat(endpoints.getJsonObject(0).getString("region")).isEqualTo("a");
    assertThat(endpoints.getJsonObject(0).getString("endpoint")).isEqualTo("app");

    PromText metrics = PromText.parse(AgentHttp.text(port, "/metrics"));
    assertThat(metrics.value("pharos_agent_connected")).contains(0.0);
    assertThat(metrics.value("pharos_agent_reports_sent_total")).contains(0.0);
    assertThat(metrics.value("pharos_agent_reports_buffered")).contains(3.0);
    assertThat(metrics.value("pharos_agent_reports_dropped_total").orElseThrow()).isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("pharos_agent_ready")).contains(0.0);
    assertThat(metrics.find("pharos_agent_probes_total", "outcome", "ok")).hasSize(3)
        .allSatisfy(x -> assertThat(x.labels()).containsEntry("agent", "agent-a1").containsEntry("vantage", "a")
            .containsKeys("region", "endpoint"))
        .allSatisfy(x -> assertThat(x.value()).isGreaterThanOrEqualTo(1));
    assertThat(metrics.value("pharos_agent_probe_latency_seconds_count", "region", "a", "endpoint", "app")
        .orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(metrics.find("pharos_agent_probe_latency_seconds_bucket", "region", "a", "endpoint", "app"))
        .extracting(x -> x.label("le")).contains("0.001", "0.25", "10.0", "+Inf");
    assertThat(metrics.value("pharos_agent_mode", "mode", "read-only")).contains(1.0);
    assertThat(metrics.value("pharos_agent_mode_records_ignored_total", "reason", "unsigned")).contains(0.0);
    assertThat(metrics.samples()).as("nothing secret: no label value looks like a key")
        .allSatisfy(x -> assertThat(x.labels().values()).noneMatch(v -> v.length() > 40));
  }

  @Test
  void the_write_primary_answers_read_only_before_any_lease_and_other_regions_read_write() {
    agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("agent-a2", "a", ANY_PORT), vertx, Clock.systemUTC());
    TestFutures.done(agent.start());
    Answer a = AgentHttp.get(agent.httpPort(), "/v1/mode");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.json().getString("region")).isEqualTo("a");
    assertThat(a.json().getString("mode")).isEqualTo("read-only");
    assertThat(a.json().getString("reason")).isEqualTo("no mode lease yet");
    assertThat(a.json().getString("token")).isEqualTo("0:0");
    assertThat(a.json().getBoolean("selfFenced")).isTrue();
    assertThat(a.json().getLong("leaseRemainingMillis")).isZero();

    PharosAgent b = new PharosAgent(TestConfigs.forAgent(config, "b"), AgentOptions.of("agent-b1", "b", ANY_PORT), vertx, Clock.systemUTC());
    try {
      TestFutures.done(b.start());
      JsonObject mode = AgentHttp.get(b.httpPort(), "/v1/mode").json();
      assertThat(mode.getString("mode")).isEqualTo("read-write");
      assertThat(mode.getBoolean("selfFenced")).isFalse();
    } finally {
      TestFutures.done(b.stop());
    }
  }

  @Test
  void unknown_paths_get_a_json_404() {
    agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("agent-a3", "a", ANY_PORT), vertx, Clock.systemUTC());
    TestFutures.done(agent.start());
    Answer a = AgentHttp.get(agent.httpPort(), "/nope");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().getString("error")).isEqualTo("not found");
    assertThat(a.json().getString("path")).isEqualTo("/nope");
  }

  @Test
  void stop_is_idempotent_and_a_stopped_agent_does_not_restart() {
    agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("agent-a4", "a", ANY_PORT), vertx, Clock.systemUTC());
    assertThat(agent.start()).isSameAs(agent.start());
    TestFutures.done(agent.start());
    Future<Void> first = agent.stop();
    assertThat(agent.stop()).isSameAs(first);
    TestFutures.done(first);
    assertThat(first.succeeded()).isTrue();
    assertThat(agent.start().failed()).isTrue();
    assertThat(new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("agent-a5", "a", ANY_PORT), vertx, Clock.systemUTC())
        .stop().succeeded()).as("stopping an agent that never started").isTrue();
  }

  @Test
  void a_listen_port_in_use_fails_start_with_the_cause() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      agent = new PharosAgent(TestConfigs.forAgent(config, "a"), AgentOptions.of("agent-a6", "a",
          new HostPort("127.0.0.1", taken.getLocalPort())), vertx, Clock.systemUTC());
      Future<Void> started = agent.start();
      await().atMost(Duration.ofSeconds(20)).until(started::isComplete);
      assertThat(started.failed()).isTrue();
      assertThat(started.cause()).hasMessageContaining("in use");
    }
  }
}
