package io.pharos.dns.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-process HTTP proxy in front of moto_server that injects Route 53's failure modes:
 * throttling (400 Throttling), 503s, slow answers, an InvalidChangeBatch for batches naming a
 * record, and changes that stay PENDING. It counts requests per Route 53 action, which is also
 * how the benchmark counts API requests per failover.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does to a request. */
  public enum Fault {
    THROTTLE,
    UNAVAILABLE,
    SLOW
  }

  private static final Set<String> HOP = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive");

  private final URI target;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedDeque<Fault> next = new ConcurrentLinkedDeque<>();
  private final AtomicReference<Fault> always = new AtomicReference<>();
  private final AtomicReference<Duration> slowBy = new AtomicReference<>(Duration.ofSeconds(2));
  private final AtomicReference<String> rejectBatchesWith = new AtomicReference<>();
  private final AtomicInteger pendingPolls = new AtomicInteger();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Long> changeTimes = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> requestTimes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> changeBodies = Collections.synchronizedList(new ArrayList<>());

  public FaultProxy(URI target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The next {@code n} requests get {@code fault}, then requests pass again. */
  public FaultProxy failNext(int n, Fault fault) {
    for (int i = 0; i < n; i++) {
      next.add(fault);
    }
    return this;
  }

  /** Every request gets {@code fault} (null: pass) until changed. */
  public FaultProxy always(Fault fault) {
    always.set(fault);
    return this;
  }

  public FaultProxy slowBy(Duration delay) {
    slowBy.set(delay);
    return this;
  }

  /** Change batches whose body contains {@code text} are refused as InvalidChangeBatch (null: none). */
  public FaultProxy rejectBatchesContaining(String text) {
    rejectBatchesWith.set(text);
    return this;
  }

  /** Changes report PENDING for the next {@code polls} GetChange requests (and in the change answer). */
  public FaultProxy pendingFor(int polls) {
    pendingPolls.set(polls);
    return this;
  }

  /** Passes everything from now on. */
  public void heal() {
    next.clear();
    always.set(null);
    rejectBatchesWith.set(null);
    pendingPolls.set(0);
  }

  /** Requests seen per action (ChangeResourceRecordSets, GetChange, ListResourceRecordSets, ...). */
  public Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public int count(String action) {
    AtomicInteger n = counts.get(action);
    return n == null ? 0 : n.get();
  }

  /** Arrival times (nanoTime) of every request. */
  public List<Long> requestTimes() {
    synchronized (requestTimes) {
      return List.copyOf(requestTimes);
    }
  }

  /** Bodies of the change batches that reached moto. */
  public List<String> changeBodies() {
    synchronized (changeBodies) {
      return List.copyOf(changeBodies);
    }
  }

  public void resetCounts() {
    counts.clear();
    requestTimes.clear();
    changeTimes.clear();
    changeBodies.clear();
  }

  static String action(String method, String path) {
    if (path.contains("/change/")) {
      return "GetChange";
    }
    if (path.endsWith("/rrset") || path.endsWith("/rrset/")) {
      return "POST".equals(method) ? "ChangeResourceRecordSets" : "ListResourceRecordSets";
    }
    if (path.contains("hostedzonesbyname")) {
      return "ListHostedZonesByName";
    }
    if (path.matches(".*/hostedzone/[^/]+/?")) {
      return "GET".equals(method) ? "GetHostedZone" : method + "HostedZone";
    }
    return method + " " + path;
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String action = action(ex.getRequestMethod(), ex.getRequestURI().getPath());
    counts.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    requestTimes.add(System.nanoTime());
    Fault fault = next.poll();
    if (fault == null) {
      fault = always.get();
    }
    if (fault == Fault.THROTTLE) {
      error(ex, 400, "Sender", "Throttling", "Rate exceeded");
      return;
    }
    if (fault == Fault.UNAVAILABLE) {
      error(ex, 503, "Receiver", "ServiceUnavailable", "Service unavailable (injected by the fault proxy)");
      return;
    }
    String reject = rejectBatchesWith.get();
    String text = new String(body, StandardCharsets.UTF_8);
    if ("ChangeResourceRecordSets".equals(action) && reject != null && text.contains(reject)) {
      error(ex, 400, "Sender", "InvalidChangeBatch", "[RRSet with DNS name " + reject + ". is not permitted"
          + " (injected by the fault proxy)]");
      return;
    }
    if ("ChangeResourceRecordSets".equals(action)) {
      changeBodies.add(text);
    }
    if (fault == Fault.SLOW) {
      Duration delay = slowBy.get();
      timer.schedule(() -> forwardQuietly(ex, body, action), delay.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    forward(ex, body, action);
  }

  private void forwardQuietly(HttpExchange ex, byte[] body, String action) {
    try {
      forward(ex, body, action);
    } catch (IOException | RuntimeException e) {
      ex.close();
    }
  }

  private void forward(HttpExchange ex, byte[] body, String action) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((name, values) -> {
      if (!HOP.contains(name.toLowerCase())) {
        values.forEach(v -> req.header(name, v));
      }
    });
    HttpResponse<byte[]> resp;
    try {
      resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    byte[] out = resp.body();
    if (("GetChange".equals(action) || "ChangeResourceRecordSets".equals(action)) && pendingPolls.get() > 0) {
      if ("GetChange".equals(action)) {
        pendingPolls.decrementAndGet();
      }
      out = new String(out, StandardCharsets.UTF_8).replace(">INSYNC<", ">PENDING<").getBytes(StandardCharsets.UTF_8);
    }
    resp.headers().map().forEach((name, values) -> {
      if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
        ex.getResponseHeaders().put(name, values);
      }
    });
    ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  private static void error(HttpExchange ex, int status, String type, String code, String message) throws IOException {
    byte[] out = ("<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
        + "<Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
        + "<RequestId>fault-proxy</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml");
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    timer.shutdownNow();
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
