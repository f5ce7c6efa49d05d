package io.pharos.testkit.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An HTTP proxy in front of a provider's API (Route 53, a DNS provider's REST API, any HTTP
 * API): point the client's endpoint override at it, and it forwards every call to the upstream
 * unless the current {@link ApiFault} throttles it, fails it or slows it down. Every call is
 * logged ({@link #exchanges()}: when, what, which answer) so a test can count what reached the
 * API and check the client's request rate.
 *
 * <p>Beyond the rates, a test can script exact sequences: {@link #failNext} (the next calls get
 * a fault of their own), {@link #refuse} (calls a rule picks are answered with a given error,
 * e.g. a change batch the API rejects) and {@link #rewrite} (the upstream's answer to the calls
 * a rule picks is changed, e.g. a change still pending).
 */
public final class HttpChaosProxy implements AutoCloseable {
  /** How many calls the log keeps (the oldest are dropped beyond). */
  public static final int LOG_LIMIT = 100_000;
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "keep-alive",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect");

  private final URI upstream;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final AtomicReference<ApiFault> fault = new AtomicReference<>(ApiFault.NONE);
  private final ConcurrentLinkedQueue<ApiFault> next = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Refusal> refusal = new AtomicReference<>();
  private final AtomicReference<Rewrite> rewrite = new AtomicReference<>();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final ArrayDeque<Exchange> log = new ArrayDeque<>();

  /** What became of a call. */
  public enum Outcome {
    /** answered by the proxy as throttled */
    THROTTLED,
    /** answered by the proxy with an injected error */
    FAILED,
    /** forwarded; {@code status} is the upstream's answer */
    FORWARDED,
    /** forwarding failed (502) */
    UPSTREAM_UNREACHABLE
  }

  /** How much of each request body the log keeps. */
  public static final int BODY_LIMIT = 8_192;

  /**
   * One call: when it arrived (wall-clock millis), method, path (without query), what the proxy
   * did, the status the client got, and the start of the request body (UTF-8, at most
   * {@link #BODY_LIMIT} bytes; API payloads, never credentials: those travel in headers).
   */
  public record Exchange(long at, String method, String path, Outcome outcome, int status, String body) {
    public Exchange(long at, String method, String path, Outcome outcome, int status) {
      this(at, method, path, outcome, status, "");
    }

    /** Forwarded and answered 2xx by the upstream. */
    public boolean accepted() {
      return outcome == Outcome.FORWARDED && status >= 200 && status < 300;
    }
  }

  /** A call as {@link #refuse} and {@link #rewrite} rules see it: method, path (without query), request body. */
  public record Call(String method, String path, String body) {}

  private record Refusal(Predicate<Call> which, int status, String body) {}

  private record Rewrite(Predicate<Call> which, UnaryOperator<String> answer) {}

  /** @param upstream base URL of the real API ({@code http://127.0.0.1:5000}) */
  public HttpChaosProxy(InetSocketAddress listen, URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(listen, 64);
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "api-chaos-proxy");
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
        .build();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public HttpChaosProxy start() {
    server.start();
    return this;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The URL clients use instead of the upstream's. */
  public URI url() {
    return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  public void set(ApiFault f) {
    fault.set(f);
  }

  /** Passes every call from now on: no fault, no scripted faults, no refusal, no rewrite. */
  public void clear() {
    fault.set(ApiFault.NONE);
    next.clear();
    refusal.set(null);
    rewrite.set(null);
  }

  /**
   * The next {@code n} calls get {@code f} instead of the current fault, then the current fault
   * applies again; give {@code f} rates of 1 to be certain ({@link ApiFault#awsThrottle(double)
   * awsThrottle(1)}, {@link ApiFault#errors errors(1, 503)}, {@link ApiFault#slow slow(d)}).
   */
  public HttpChaosProxy failNext(int n, ApiFault f) {
    for (int i = 0; i < n; i++) {
      next.add(f);
    }
    return this;
  }

  /**
   * Answers every call {@code which} picks with {@code status} and {@code body} instead of
   * forwarding it (logged as {@link Outcome#FAILED}); a null rule refuses nothing. The rule sees
   * the calls the fault lets through.
   */
  public HttpChaosProxy refuse(Predicate<Call> which, int status, String body) {
    refusal.set(which == null ? null : new Refusal(which, status, body));
    return this;
  }

  /**
   * Passes the upstream's answer to every forwarded call {@code which} picks through
   * {@code answer} (the body as UTF-8 text); a null rule rewrites nothing. The rule is asked once
   * per call, after the upstream answered, so it may count.
   */
  public HttpChaosProxy rewrite(Predicate<Call> which, UnaryOperator<String> answer) {
    rewrite.set(which == null ? null : new Rewrite(which, answer));
    return this;
  }

  /** Forgets the logged calls (the counters stay): what a test counts from here on. */
  public void clearLog() {
    synchronized (log) {
      log.clear();
    }
  }

  public ApiFault fault() {
    return fault.get();
  }

  public long calls() {
    return calls.get();
  }

  public long throttled() {
    return throttled.get();
  }

  public long failed() {
    return failed.get();
  }

  public long forwarded() {
    return forwarded.get();
  }

  /** Every call so far (up to {@link #LOG_LIMIT}), oldest first. */
  public List<Exchange> exchanges() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  private void logged(long at, HttpExchange ex, byte[] body, Outcome outcome, int status) {
    String start = new String(body, 0, Math.min(body.length, BODY_LIMIT), StandardCharsets.UTF_8);
    synchronized (log) {
      if (log.size() >= LOG_LIMIT) {
        log.removeFirst();
      }
      log.addLast(new Exchange(at, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), outcome, status, start));
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    calls.incrementAndGet();
    long at = System.currentTimeMillis();
    ApiFault scripted = next.poll();
    ApiFault f = scripted != null ? scripted : fault.get();
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (f.latency().toMillis() > 0) {
        Thread.sleep(f.latency().toMillis());
      }
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      if (f.throttleRate() > 0 && rnd.nextDouble() < f.throttleRate()) {
        throttled.incrementAndGet();
        logged(at, ex, body, Outcome.THROTTLED, f.throttleStatus());
        ex.getResponseHeaders().add("Retry-After", "1");
        Http.respond(ex, f.throttleStatus(), f.throttleBody());
        return;
      }
      if (f.errorRate() > 0 && rnd.nextDouble() < f.errorRate()) {
        failed.incrementAndGet();
        logged(at, ex, body, Outcome.FAILED, f.errorStatus());
        Http.respond(ex, f.errorStatus(), "injected " + f.errorStatus() + " by the Pharos chaos proxy\n");
        return;
      }
      Call call = new Call(ex.getRequestMethod(), ex.getRequestURI().getPath(), new String(body,
          StandardCharsets.UTF_8));
      Refusal no = refusal.get();
      if (no != null && no.which().test(call)) {
        failed.incrementAndGet();
        logged(at, ex, body, Outcome.FAILED, no.status());
        Http.respond(ex, no.status(), no.body());
        return;
      }
      forward(ex, call, body, at);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange ex, Call call, byte[] body, long at) throws IOException, InterruptedException {
    URI target = upstream.resolve(ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, vs) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
        vs.forEach(v -> req.header(k, v));
      }
    });
    HttpResponse<byte[]> r;
    try {
      r = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      logged(at, ex, body, Outcome.UPSTREAM_UNREACHABLE, 502);
      Http.respond(ex, 502, "upstream " + upstream + " failed: " + e.getMessage() + "\n");
      return;
    }
    forwarded.incrementAndGet();
    logged(at, ex, body, Outcome.FORWARDED, r.statusCode());
    r.headers().map().forEach((k, vs) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
        vs.forEach(v -> ex.getResponseHeaders().add(k, v));
      }
    });
    byte[] b = r.body();
    Rewrite rw = rewrite.get();
    if (rw != null && rw.which().test(call)) {
      b = rw.answer().apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
    Http.respond(ex, r.statusCode(), b);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
