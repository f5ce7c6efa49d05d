package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the agent's own region's capacity endpoint (JSON {@code {"headroomPercent": n}}) like any
 * probe (a new connection, one deadline for the whole answer, at most {@value #MAX_BODY_BYTES}
 * bytes), and turns the answer into a capacity observation ({@link Capacity}) that rides in the
 * next report. A failed read is a failed observation: the controllers then have no fresh headroom
 * for the region, which is shown, not guessed.
 */
public final class CapacityProbe implements Probe {
  static final int MAX_BODY_BYTES = 4 * 1024;
  private final Vertx vertx;
  private final HttpClient client;
  private final ProbeClock time;
  private final Clock clock;

  public CapacityProbe(Vertx vertx, HttpClient client, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.client = client;
    this.clock = clock;
    this.time = new ProbeClock(clock, ticker);
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    long timeoutMs = Math.max(1, target.endpoint().timeout().toMillis());
    long start = time.start();
    Promise<Observation> result = Promise.promise();
    AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    long deadline = vertx.setTimer(timeoutMs, id -> finish(result, request,
        time.down(target, start, 0, FailureKind.TIMEOUT)));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(target.endpoint().url().toString()).setFollowRedirects(false).setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs).putHeader("User-Agent", "pharos-agent").putHeader("Accept", "application/json");
    client.request(options)
        .compose(r -> {
          request.set(r);
          return r.send();
        })
        .onSuccess(response -> {
          int status = response.statusCode();
          if (status != 200) {
            finish(result, request, time.down(target, start, status, FailureKind.STATUS));
            return;
          }
          Buffer body = Buffer.buffer();
          response.handler(chunk -> {
            body.appendBuffer(chunk);
            if (body.length() > MAX_BODY_BYTES) {
              finish(result, request, time.down(target, start, status, FailureKind.BODY));
            }
          });
          response.endHandler(v -> finish(result, request, reading(target, start, body)));
          response.exceptionHandler(e -> finish(result, request,
              time.down(target, start, status, FailureClassifier.classify(e))));
        })
        .onFailure(e -> finish(result, request, time.down(target, start, 0, FailureClassifier.classify(e))));
    result.future().onComplete(ar -> vertx.cancelTimer(deadline));
    return result.future();
  }

  private Observation reading(ProbeTarget target, long start, Buffer body) {
    Observation timed = time.up(target, start, 200);
    try {
      int headroom = Capacity.parse(body.toString(StandardCharsets.UTF_8));
      return Capacity.reading(target.region(), headroom, timed.latencyMicros(), clock.millis());
    } catch (IllegalArgumentException e) {
      return time.down(target, start, 200, FailureKind.BODY);
    }
  }

  private static void finish(Promise<Observation> result, AtomicReference<HttpClientRequest> request, Observation o) {
    if (result.tryComplete(o)) {
      HttpClientRequest r = request.get();
      if (r != null) {
        r.reset();
      }
    }
  }
}
