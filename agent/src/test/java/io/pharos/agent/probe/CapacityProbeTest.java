package io.pharos.agent.probe;

import static io.pharos.agent.probe.ProbeFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.TestHttpServer;
import io.pharos.agent.Ticker;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent reads its region's capacity endpoint into a capacity observation, through the probe dispatcher. */
class CapacityProbeTest {
  static Vertx vertx;
  static TestHttpServer server;
  static Probes probes;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    server = TestHttpServer.start();
    probes = new Probes(vertx, Clock.systemUTC(), Ticker.system());
  }

  @AfterAll
  static void tearDown() {
    probes.close().await();
    server.close();
    vertx.close().await();
  }

  static ProbeTarget capacity(String path) {
    return new ProbeTarget("b", new EndpointConfig(Capacity.ENDPOINT, EndpointConfig.Kind.HTTP,
        URI.create(server.url(path)), null, 200, null, Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(30), false));
  }

  @Test
  void aJsonHeadroomBecomesACapacityObservation() throws Exception {
    server.app(200, "{\"headroomPercent\": 35}");
    Observation o = await(probes.probe(capacity("/app")));
    assertThat(o.ok()).isTrue();
    assertThat(Capacity.isCapacity(o)).isTrue();
    assertThat(o.targetRegion()).isEqualTo("b");
    assertThat(Capacity.headroomPercent(o)).isEqualTo(35);
  }

  @Test
  void aBadAnswerIsAFailedReadingNotAGuess() throws Exception {
    server.app(200, "{\"free\": 35}");
    assertThat(await(probes.probe(capacity("/app"))).failure()).isEqualTo(FailureKind.BODY);
    server.app(503, "busy");
    assertThat(await(probes.probe(capacity("/app"))).failure()).isEqualTo(FailureKind.STATUS);
  }
}
