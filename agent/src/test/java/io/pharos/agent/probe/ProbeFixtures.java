package io.pharos.agent.probe;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

final class ProbeFixtures {
  private ProbeFixtures() {}

  static ProbeTarget http(String url, String body, long timeoutMs, long budgetMs) {
    return new ProbeTarget("a", new EndpointConfig("app", EndpointConfig.Kind.HTTP, URI.create(url), null, 200, body,
        Duration.ofMillis(budgetMs), Duration.ofSeconds(1), Duration.ofMillis(timeoutMs), true));
  }

  static ProbeTarget tcp(int port, long timeoutMs) {
    return new ProbeTarget("b", new EndpointConfig("db", EndpointConfig.Kind.TCP, null,
        new HostPort("127.0.0.1", port), 0, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofMillis(timeoutMs), true));
  }

  static Observation await(Future<Observation> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
