package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.Observation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Dispatches each target to the probe of its kind; owns the probes and the TCP clients.
 *
 * <p>With more than one event loop, the probes' I/O (connect, request, close: most of a probe's
 * CPU) runs on lanes, one event-loop context per loop with its own TCP client (the HTTP probe is
 * one for all: it connects on the loop it is called on), each target always on the same lane; the
 * result comes back on the caller's context, so the scheduler stays single-threaded. With one
 * event loop everything runs on the caller's context. Measured in docs/benchmarks.md ("Agent
 * probe throughput").
 */
public final class Probes implements Probe {
  private final List<Lane> lanes = new ArrayList<>();
  private final boolean dispatch;

  /**
   * One event loop's probes. The HTTP probe (and the capacity read made with it) is one for all
   * lanes: it opens each connection on the event loop it is called on, and its room per host is the
   * agent's, not a lane's. The TCP probe has a client per lane.
   */
  private record Lane(Context context, NetClient netClient, HttpProbe http, TcpProbe tcp, CapacityProbe capacity) {
    static Lane of(Context context, Vertx vertx, HttpProbe http, CapacityProbe capacity, Clock clock,
        Ticker ticker) {
      NetClient n = TcpProbe.createClient(vertx);
      return new Lane(context, n, http, new TcpProbe(vertx, n, clock, ticker), capacity);
    }

    Future<Observation> probe(ProbeTarget target) {
      if (Capacity.ENDPOINT.equals(target.endpoint().id())) {
        return capacity.probe(target);
      }
      return switch (target.endpoint().kind()) {
        case HTTP -> http.probe(target);
        case TCP -> tcp.probe(target);
      };
    }
  }

  /**
   * Probes a second one event loop is given by default: one loop passed 8,330 probes/s at 92 % of a core on
   * this project's benchmark machine (docs/benchmarks.md "Agent probe throughput"), so at half of that a
   * second loop is worth its thread.
   */
  public static final int PROBES_PER_LOOP = 4_000;

  /**
   * Event loops for an agent whose config asks for this many probes a second (every region's endpoints, each
   * once per interval): one per {@link #PROBES_PER_LOOP}, at least one, at most {@code cores}.
   */
  public static int eventLoopsFor(PharosConfig config, int cores) {
    double perSecond = 0;
    for (RegionConfig r : config.regions()) {
      for (EndpointConfig e : r.endpoints()) {
        perSecond += 1000.0 / Math.max(1, e.interval().toMillis());
      }
    }
    return (int) Math.max(1, Math.min(Math.max(1, cores), Math.ceil(perSecond / PROBES_PER_LOOP)));
  }

  public Probes(Vertx vertx, Clock clock, Ticker ticker) {
    int loops = 0;
    for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loops++;
    }
    dispatch = loops > 1;
    HttpProbe http = new HttpProbe(vertx, clock, ticker);
    CapacityProbe capacity = new CapacityProbe(http, clock, ticker);
    if (!dispatch) {
      lanes.add(Lane.of(null, vertx, http, capacity, clock, ticker));
      return;
    }
    for (int i = 0; i < loops; i++) {
      // public API has no way to make an event-loop context apart from deploying a verticle
      lanes.add(Lane.of(((VertxInternal) vertx).createEventLoopContext(), vertx, http, capacity, clock, ticker));
    }
  }

  /** Event-loop contexts probes run on (0: on the caller's context). */
  public int lanes() {
    return dispatch ? lanes.size() : 0;
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    Lane lane = lanes.get(Math.floorMod(target.key().hashCode(), lanes.size()));
    Context caller = Vertx.currentContext();
    if (!dispatch || caller == null) {
      return lane.probe(target);
    }
    Promise<Observation> result = Promise.promise();
    lane.context().runOnContext(v -> {
      Future<Observation> f;
      try {
        f = lane.probe(target);
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

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Lane l : lanes) {
      closing.add(l.netClient().close());
    }
    return Future.join(closing).mapEmpty();
  }
}
