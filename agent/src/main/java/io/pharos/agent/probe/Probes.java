package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.http.HttpClient;
import java.time.Clock;

/** Dispatches each target to the probe of its kind; owns the HTTP and TCP clients. */
public final class Probes implements Probe {
  private final HttpClient httpClient;
  private final NetClient netClient;
  private final HttpProbe http;
  private final TcpProbe tcp;
  private final CapacityProbe capacity;

  public Probes(Vertx vertx, Clock clock, Ticker ticker) {
    this.httpClient = HttpProbe.createClient(vertx);
    this.netClient = TcpProbe.createClient(vertx);
    this.http = new HttpProbe(vertx, httpClient, clock, ticker);
    this.tcp = new TcpProbe(vertx, netClient, clock, ticker);
    this.capacity = new CapacityProbe(vertx, httpClient, clock, ticker);
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    if (Capacity.ENDPOINT.equals(target.endpoint().id())) {
      return capacity.probe(target);
    }
    return switch (target.endpoint().kind()) {
      case HTTP -> http.probe(target);
      case TCP -> tcp.probe(target);
    };
  }

  public Future<Void> close() {
    return Future.join(httpClient.close(), netClient.close()).mapEmpty();
  }
}
