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
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP(S) GET probe: passes when the status equals {@code expect.status} and, if set, the body
 * contains {@code expect.body}. The latency is always reported; the latency budget is applied by
 * the controllers, so a slow but correct answer is ok here.
 *
 * <p>Each probe opens a new connection (no keep-alive): a probe should see what a new client sees,
 * including a listener that stopped accepting, not a pooled connection that still works.
 *
 * <p>Nothing outlives the probe's deadline: when the timeout fires, the result is TIMEOUT and the
 * request is reset, which closes its connection (an endpoint that trickles bytes would otherwise
 * keep one connection per probe open for as long as it trickles). The whole answer must arrive
 * within the deadline. The body is never buffered: it is scanned as it arrives for {@code
 * expect.body}, and once {@value #MAX_BODY_BYTES} bytes came without it, the probe fails (BODY);
 * without {@code expect.body}, that much of a body passes. The request is reset as soon as the
 * verdict is known, so a large body is never read to its end.
 */
public final class HttpProbe implements Probe {
  /**
   * The most body a probe reads looking for {@code expect.body}: a health page is a few hundred
   * bytes; 64 KiB leaves room for a status page while 200 endpoints cannot keep more than a few
   * chunks of 8 KiB each in flight (the scan keeps only the text's length of the previous chunk).
   */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  /**
   * Probes of one host in flight at once (connections are never reused). One more waits, in order of
   * arrival, for one of them to finish, and its timeout runs only from when it starts: time spent
   * waiting inside the agent must not report the endpoint as failing. A probe that waited longer than
   * its own timeout is not made at all: it is skipped ({@link ProbeSkipped}), and the scheduler tries
   * it again later. In arrival order, an agent with room for only part of its probes shares that room
   * out among its endpoints instead of starving the ones whose turn falls when the host is busy.
   */
  static final int MAX_CONNECTIONS_PER_HOST = 32;
  private static final Logger LOG = LoggerFactory.getLogger(HttpProbe.class);
  private final Vertx vertx;
  private final HttpClient client;
  private final ProbeClock time;
  private final Ticker ticker;
  /** Per host:port (probes may be started off the context their results arrive on). */
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  public HttpProbe(Vertx vertx, HttpClient client, Clock clock, Ticker ticker) {
    this.vertx = vertx;
    this.client = client;
    this.ticker = ticker;
    this.time = new ProbeClock(clock, ticker);
  }

  /**
   * A client suited to probing: no redirects, no keep-alive, certificates verified, no
   * decompression. Connection errors (resets) fail the probe; they are not logged again at ERROR
   * by Vert.x for every probe of a broken endpoint.
   */
  public static HttpClient createClient(Vertx vertx) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(false)
        .setTcpNoDelay(true)
        .setVerifyHost(true)
        .setDecompressionSupported(false);
    return vertx.httpClientBuilder()
        .with(options)
        // room for the connections of finished probes that are still closing: the limit is the probe's
        .with(new PoolOptions().setHttp1MaxSize(2 * MAX_CONNECTIONS_PER_HOST).setMaxWaitQueueSize(0))
        .withConnectHandler(connection -> connection.exceptionHandler(
            e -> LOG.debug("probe connection to {} failed: {}", connection.remoteAddress(), e.toString())))
        .build();
  }

  @Override
  public Future<Observation> probe(ProbeTarget target) {
    EndpointConfig ep = target.endpoint();
    Host host = hosts.computeIfAbsent(ep.url().getHost() + ":" + port(ep), Host::new);
    synchronized (host) {
      if (host.inFlight >= MAX_CONNECTIONS_PER_HOST) {
        Waiting w = new Waiting(target, Promise.promise(), ticker.nanos());
        host.waiting.add(w);
        return w.result.future();
      }
      host.inFlight++;
    }
    return start(target, host);
  }

  /** Makes the probe; when it ends, its room goes to the oldest probe of the host still worth making. */
  private Future<Observation> start(ProbeTarget target, Host host) {
    Future<Observation> result = exchange(target, host);
    result.onComplete(ar -> next(host));
    return result;
  }

  private void next(Host host) {
    while (true) {
      Waiting w;
      synchronized (host) {
        w = host.waiting.poll();
        if (w == null) {
          host.inFlight--;
          return;
        }
      }
      long waitedMs = (ticker.nanos() - w.since) / 1_000_000L;
      if (waitedMs < w.target.endpoint().timeout().toMillis()) {
        start(w.target, host).onComplete(w.result);
        return;
      }
      w.result.fail(new ProbeSkipped("waited " + waitedMs + " ms, longer than its timeout, for one of the "
          + MAX_CONNECTIONS_PER_HOST + " probes of " + host.name + " in flight"));
    }
  }

  private Future<Observation> exchange(ProbeTarget target, Host host) {
    EndpointConfig ep = target.endpoint();
    long timeoutMs = Math.max(1, ep.timeout().toMillis());
    long start = time.start();
    Exchange exchange = new Exchange(target, start);
    // Connect and idle timeouts alone would let a server that trickles bytes hold the probe: the
    // deadline bounds the whole exchange, and ends it
    long deadline = vertx.setTimer(timeoutMs,
        id -> exchange.finish(time.down(target, start, 0, FailureKind.TIMEOUT)));
    RequestOptions options;
    try {
      options = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setAbsoluteURI(ep.url().toString())
          .setFollowRedirects(false)
          .setConnectTimeout(timeoutMs)
          .setIdleTimeout(timeoutMs)
          .putHeader("User-Agent", "pharos-agent");
    } catch (RuntimeException e) {
      vertx.cancelTimer(deadline);
      return Future.succeededFuture(time.down(target, start, 0, FailureClassifier.classify(e)));
    }
    client.request(options)
        .compose(request -> {
          exchange.request(request);
          return request.send();
        })
        .onSuccess(exchange::response)
        .onFailure(e -> {
          if (e instanceof ConnectionPoolTooBusyException) {
            // the connections of finished probes of this host are still closing
            exchange.skip(new ProbeSkipped(2 * MAX_CONNECTIONS_PER_HOST + " connections to " + host.name + " open"));
          } else {
            exchange.finish(time.down(target, start, 0, FailureClassifier.classify(e)));
          }
        });
    Future<Observation> result = exchange.result.future();
    result.onComplete(ar -> vertx.cancelTimer(deadline));
    return result;
  }

  /** One host's probes: how many are in flight, and those waiting for room (guarded by itself). */
  private static final class Host {
    final String name;
    int inFlight;
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    Host(String name) {
      this.name = name;
    }
  }

  /** A probe waiting for room since {@code since} (ticker nanos). */
  private record Waiting(ProbeTarget target, Promise<Observation> result, long since) {
  }

  private static int port(EndpointConfig ep) {
    int port = ep.url().getPort();
    return port >= 0 ? port : "https".equalsIgnoreCase(ep.url().getScheme()) ? 443 : 80;
  }

  /** One probe's request: its result (first verdict wins) and the reset that ends it. */
  private final class Exchange {
    final ProbeTarget target;
    final long start;
    final Promise<Observation> result = Promise.promise();
    final AtomicReference<HttpClientRequest> request = new AtomicReference<>();

    Exchange(ProbeTarget target, long start) {
      this.target = target;
      this.start = start;
    }

    void request(HttpClientRequest r) {
      request.set(r);
      if (result.future().isComplete()) {
        r.reset(); // the deadline came while the connection was being made
      }
    }

    void response(HttpClientResponse response) {
      EndpointConfig ep = target.endpoint();
      int status = response.statusCode();
      if (status != ep.expectStatus()) {
        finish(time.down(target, start, status, FailureKind.STATUS));
        return;
      }
      boolean anyBody = ep.expectBody() == null || ep.expectBody().isEmpty();
      BodyScan scan = new BodyScan(anyBody ? new byte[0] : ep.expectBody().getBytes(StandardCharsets.UTF_8));
      // the whole answer must come within the deadline (or the cap's worth of it): a server that
      // sends its headers and then stalls is not serving
      response.handler(chunk -> {
        if (!anyBody && scan.feed(chunk)) {
          finish(time.up(target, start, status));
        } else if (anyBody ? scan.count(chunk) >= MAX_BODY_BYTES : scan.read() >= MAX_BODY_BYTES) {
          finish(anyBody ? time.up(target, start, status) : time.down(target, start, status, FailureKind.BODY));
        }
      });
      response.endHandler(v -> finish(anyBody ? time.up(target, start, status)
          : time.down(target, start, status, FailureKind.BODY)));
      response.exceptionHandler(e -> finish(time.down(target, start, status, FailureClassifier.classify(e))));
    }

    /** No verdict: the probe was not made (no request exists, so there is nothing to reset). */
    void skip(ProbeSkipped why) {
      result.tryFail(why);
    }

    /** The verdict, once; then the request is reset so that its connection goes at once. */
    void finish(Observation o) {
      if (result.tryComplete(o)) {
        HttpClientRequest r = request.get();
        if (r != null) {
          r.reset(); // closes the connection (HTTP/1.1); a no-op once the exchange has ended
        }
      }
    }
  }

  /**
   * Looks for a byte string in a body that arrives in chunks, keeping only the last
   * {@code wanted.length - 1} bytes of what came before (the text may span two chunks).
   */
  static final class BodyScan {
    private final byte[] wanted;
    private byte[] tail = new byte[0];
    private long read;

    BodyScan(byte[] wanted) {
      this.wanted = wanted;
    }

    /** Feeds one chunk; true once the text was found. */
    boolean feed(Buffer chunk) {
      byte[] bytes = chunk.getBytes();
      read += bytes.length;
      byte[] window = new byte[tail.length + bytes.length];
      System.arraycopy(tail, 0, window, 0, tail.length);
      System.arraycopy(bytes, 0, window, tail.length, bytes.length);
      if (indexOf(window, wanted) >= 0) {
        return true;
      }
      int keep = Math.min(window.length, Math.max(0, wanted.length - 1));
      tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
      return false;
    }

    /** Counts a chunk that is not scanned (any body will do); returns the body bytes seen. */
    long count(Buffer chunk) {
      read += chunk.length();
      return read;
    }

    /** Body bytes seen so far. */
    long read() {
      return read;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      if (needle.length == 0) {
        return 0;
      }
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
