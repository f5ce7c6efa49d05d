package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.model.Observation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Dispatches each target to the probe of its kind; owns the HTTP and TCP clients.
 *
 * <p>With more than one event loop, the probes' I/O (connect, request, close: most of a probe's
 * CPU) runs on lanes, one event-loop context per loop, each target always on the same lane; the
 * result comes back on the caller's context, so the scheduler stays single-threaded. With one
 * event loop everything runs on the caller's context, as before. Measured in docs/benchmarks.md
 * ("Agent probe throughput"): one event loop was the agent's ceiling at saturation.
 */
public final class Probes implements Probe {
  private final HttpClient httpClient;
  private final NetClient netClient;
  private final HttpProbe http;
  private final TcpProbe tcp;
  private final List<Context> lanes = new ArrayList<>();

  public Probes(Vertx vertx, Clock clock, Ticker ticker) {
    this.httpClient = HttpProbe.createClient(vertx);
    this.netClient = TcpProbe.createClient(vertx);
    this.http = new HttpProbe(vertx, httpClient, clock, ticker);
    this.tcp = new TcpProbe(vertx, netClient, clock, ticker);
    int loops = 0;
    for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    if (loops > 1) {
      for (int i = 0; i < loops; i++) {
        // public API has no way to make an event-loop context apart from deploying a verticle
        lanes.add(((VertxInternal) vertx).createEventLoopContext());
      }
    }
  }

  /** Event-loop contexts probes run on (0: on the caller's context). */
  public int lanes() {
    return lanes.size();
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    Context caller = Vertx.currentContext();
    if (lanes.isEmpty() || caller == null) {
      return direct(target);
    }
    Context lane = lanes.get(Math.floorMod(target.key().hashCode(), lanes.size()));
    Promise<Observation> result = Promise.promise();
    lane.runOnContext(v -> {
      Future<Observation> f;
      try {
        f = direct(target);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> caller.runOnContext(x -> {
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.fail(ar.cause());
        }
      }));
    });
    return result.future();
  }

  private Future<Observation> direct(ProbeTarget target) {
    return switch (target.endpoint().kind()) {
      case HTTP -> http.probe(target);
      case TCP -> tcp.probe(target);
    };
  }

  public Future<Void> close() {
    return Future.join(httpClient.close(), netClient.close()).mapEmpty();
  }
}
