package io.pharos.agent.probe;

import static io.pharos.agent.probe.ProbeFixtures.await;
import static io.pharos.agent.probe.ProbeFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.Ticker;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.testkit.proc.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TcpProbeTest {
  static Vertx vertx;
  static NetClient client;
  static TcpProbe probe;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    client = TcpProbe.createClient(vertx);
    probe = new TcpProbe(vertx, client, Clock.systemUTC(), Ticker.system());
  }

  @AfterAll
  static void tearDown() {
    client.close().await();
    vertx.close().await();
  }

  @Test
  void a_listening_port_is_up() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Observation o = await(probe.probe(tcp(listener.getLocalPort(), 1000)));
      assertThat(o.ok()).isTrue();
      assertThat(o.status()).isZero();
      assertThat(o.latencyMicros()).isPositive();
      assertThat(o.endpointId()).isEqualTo("db");
    }
  }

  @Test
  void a_closed_port_is_refused() throws Exception {
    Observation o = await(probe.probe(tcp(Ports.free(), 1000)));
    assertThat(o.ok()).isFalse();
    assertThat(o.failure()).isEqualTo(FailureKind.REFUSED);
  }
}
