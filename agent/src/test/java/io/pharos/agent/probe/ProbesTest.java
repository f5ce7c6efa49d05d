package io.pharos.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.agent.TestHttpServer;
import io.pharos.agent.Ticker;
import io.pharos.core.model.Observation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProbesTest {
  @Test
  void with_two_event_loops_probes_run_on_lanes_and_answer_on_the_callers_context() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    TestHttpServer server = TestHttpServer.start();
    try {
      Probes probes = new Probes(vertx, Clock.systemUTC(), Ticker.system());
      assertThat(probes.lanes()).isEqualTo(2);
      Context caller = vertx.getOrCreateContext();
      Promise<List<Observation>> all = Promise.promise();
      ConcurrentHashMap<Thread, Boolean> answeredOn = new ConcurrentHashMap<>();
      Thread[] callerThread = new Thread[1];
      caller.runOnContext(v -> {
        callerThread[0] = Thread.currentThread();
        List<Future<Observation>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          ProbeTarget t = ProbeFixtures.http(server.url("/ok"), "ok", 10_000, 1000);
          ProbeTarget distinct = new ProbeTarget("r" + i, t.endpoint());
          fs.add(probes.probe(distinct).onComplete(ar -> answeredOn.put(Thread.currentThread(), true)));
        }
        Future.all(fs).onComplete(ar -> all.complete(fs.stream().map(Future::result).toList()));
      });
      List<Observation> results = all.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(results).hasSize(8).allMatch(Observation::ok);
      assertThat(answeredOn.keySet()).as("the scheduler's context gets every result").containsExactly(callerThread[0]);
      probes.close().await();
    } finally {
      server.close();
      vertx.close().await();
    }
  }

  @Test
  void with_one_event_loop_probes_run_on_the_callers_context() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Probes probes = new Probes(vertx, Clock.systemUTC(), Ticker.system());
      assertThat(probes.lanes()).isZero();
      probes.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /** {@code endpoints} HTTP endpoints in region a, each probed every {@code intervalMs}. */
  static io.pharos.core.config.PharosConfig withEndpoints(int endpoints, long intervalMs) {
    io.pharos.core.config.PharosConfig c = io.pharos.testkit.config.TestConfigs.threeRegions();
    List<io.pharos.core.config.EndpointConfig> eps = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      eps.add(new io.pharos.core.config.EndpointConfig("e" + i, io.pharos.core.config.EndpointConfig.Kind.HTTP,
          java.net.URI.create("http://127.0.0.1:9/" + i), null, 200, null, java.time.Duration.ofSeconds(1),
          java.time.Duration.ofMillis(intervalMs), java.time.Duration.ofMillis(Math.min(500, intervalMs)), true));
    }
    List<io.pharos.core.config.RegionConfig> regions = List.of(new io.pharos.core.config.RegionConfig("a", eps, null));
    return new io.pharos.core.config.PharosConfig(c.environment(), regions, c.dns(), c.controllers(), c.probes(),
        c.policy(), c.security(), c.controllerKeys(), c.api());
  }

  @Test
  void an_event_loop_per_4000_probes_a_second_the_config_asks_for_up_to_the_cores() {
    assertThat(Probes.eventLoopsFor(withEndpoints(200, 1000), 2)).as("200 endpoints at 1 s").isEqualTo(1);
    assertThat(Probes.eventLoopsFor(withEndpoints(4000, 1000), 2)).as("4,000 a second").isEqualTo(1);
    assertThat(Probes.eventLoopsFor(withEndpoints(4001, 1000), 2)).isEqualTo(2);
    assertThat(Probes.eventLoopsFor(withEndpoints(2000, 200), 8)).as("10,000 a second").isEqualTo(3);
    assertThat(Probes.eventLoopsFor(withEndpoints(12000, 1000), 2)).as("never more than the cores").isEqualTo(2);
    assertThat(Probes.eventLoopsFor(withEndpoints(12000, 1000), 1)).isEqualTo(1);
    assertThat(Probes.eventLoopsFor(withEndpoints(1, 1000), 0)).as("at least one").isEqualTo(1);
  }
}
