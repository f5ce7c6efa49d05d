package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.config.HostPort;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;

/** TCP connect probe: passes when a connection is established; the connection is closed at once. */
public final class TcpProbe implements Probe {
  private final Vertx vertx;
  private final NetClient client;
  private final ProbeClock time;

  public TcpProbe(Vertx vertx, NetClient client, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.client = client;
    this.time = new ProbeClock(clock, ticker);
  }

  public static NetClient createClient(Vertx vertx) {
    return vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setReconnectAttempts(0));
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    HostPort address = target.endpoint().address();
    long timeoutMs = Math.max(1, target.endpoint().timeout().toMillis());
    long start = time.start();
    Promise<Observation> result = Promise.promise();
    long deadline = vertx.setTimer(timeoutMs,
        id -> result.tryComplete(time.down(target, start, 0, FailureKind.TIMEOUT)));
    ConnectOptions options = new ConnectOptions()
        .setHost(address.host())
        .setPort(address.port())
        .setTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
    client.connect(options).onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (ar.succeeded()) {
        Observation up = time.up(target, start, 0);
        ar.result().close();
        result.tryComplete(up);
      } else {
        result.tryComplete(time.down(target, start, 0, FailureClassifier.classify(ar.cause())));
      }
    });
    return result.future();
  }
}
