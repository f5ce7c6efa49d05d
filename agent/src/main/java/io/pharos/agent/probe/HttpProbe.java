package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP(S) GET probe: passes when the status equals {@code expect.status} and, if set, the body
 * contains {@code expect.body}. The latency is always reported; the latency budget is applied by
 * the controllers, so a slow but correct answer is ok here.
 *
 * <p>Each probe opens a new connection (no keep-alive): a probe should see what a new client sees,
 * including a listener that stopped accepting, not a pooled connection that still works.
 */
public final class HttpProbe implements Probe {
  private static final Logger LOG = LoggerFactory.getLogger(HttpProbe.class);
  private final Vertx vertx;
  private final WebClient client;
  private final ProbeClock time;

  public HttpProbe(Vertx vertx, WebClient client, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.client = client;
    this.time = new ProbeClock(clock, ticker);
  }

  /**
   * A web client suited to probing: no redirects, no keep-alive, certificates verified. Connection
   * errors (resets) fail the probe; they are not logged again at ERROR by Vert.x for every probe
   * of a broken endpoint.
   */
  public static WebClient createClient(Vertx vertx) {
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("pharos-agent")
        .setFollowRedirects(false)
        .setKeepAlive(false)
        .setTcpNoDelay(true)
        .setVerifyHost(true)
        .setDecompressionSupported(false);
    HttpClient http = vertx.httpClientBuilder()
        .with(options)
        .withConnectHandler(connection -> connection.exceptionHandler(
            e -> LOG.debug("probe connection to {} failed: {}", connection.remoteAddress(), e.toString())))
        .build();
    return WebClient.wrap(http, options);
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    EndpointConfig ep = target.endpoint();
    long timeoutMs = Math.max(1, ep.timeout().toMillis());
    long start = time.start();
    Promise<Observation> result = Promise.promise();
    // Connect and idle timeouts alone would let a server that trickles bytes hold the probe: the
    // deadline bounds the whole exchange.
    long deadline = vertx.setTimer(timeoutMs,
        id -> result.tryComplete(time.down(target, start, 0, FailureKind.TIMEOUT)));
    HttpRequest<Buffer> request;
    try {
      request = client.getAbs(ep.url().toString())
          .connectTimeout(timeoutMs)
          .idleTimeout(timeoutMs)
          .followRedirects(false);
    } catch (RuntimeException e) {
      vertx.cancelTimer(deadline);
      return Future.succeededFuture(time.down(target, start, 0, FailureClassifier.classify(e)));
    }
    Future<Observation> exchange = ep.expectBody() == null
        ? send(request.as(BodyCodec.none()), response -> judge(target, start, response.statusCode(), null))
        : send(request, response -> judge(target, start, response.statusCode(), response.bodyAsString()));
    exchange.onComplete(ar -> {
      vertx.cancelTimer(deadline);
      result.tryComplete(ar.succeeded() ? ar.result()
          : time.down(target, start, 0, FailureClassifier.classify(ar.cause())));
    });
    return result.future();
  }

  private static <T> Future<Observation> send(HttpRequest<T> request, Function<HttpResponse<T>, Observation> judge) {
    return request.send().map(judge);
  }

  private Observation judge(ProbeTarget target, long start, int status, String body) {
    EndpointConfig ep = target.endpoint();
    if (status != ep.expectStatus()) {
      return time.down(target, start, status, FailureKind.STATUS);
    }
    if (ep.expectBody() != null && (body == null || !body.contains(ep.expectBody()))) {
      return time.down(target, start, status, FailureKind.BODY);
    }
    return time.up(target, start, status);
  }
}
