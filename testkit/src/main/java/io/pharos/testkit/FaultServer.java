package io.pharos.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small application endpoint whose failures can be switched at run time: an error rate with a
 * status code, added latency (on every request or a share of them), hanging requests, or a
 * blackhole. It answers {@code GET /healthz} with {@code ok}. Faults are set through
 * {@link #set(Fault)} or over HTTP: {@code PUT /_fault} with
 * {@code {"errorRate":0.05,"status":503,"latencyMs":2000,"latencyRate":0.05,"hang":false,"blackhole":false}},
 * {@code DELETE /_fault} to clear, {@code GET /_fault} to read. The control resources stay
 * answerable whatever the fault, so a fault can always be reverted.
 *
 * <p>{@code hang} reads the request and never answers (a stuck server; released after 60 s);
 * {@code blackhole} holds every connection open without a byte back until the fault is cleared
 * (at the HTTP level the same as a network blackhole; a packet-level one is a partition).
 *
 * <p>It also serves a settable replication lag for drills' RPO measurement: {@code GET /_lag}
 * answers {@code {"lagSeconds":0.0}}, {@code PUT /_lag} with {@code {"lagSeconds":2.5}} sets it.
 */
public final class FaultServer implements AutoCloseable {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*([^,}\\s]+)");

  /** What the server does to each request. */
  public record Fault(double errorRate, int status, long latencyMs, boolean hang, double latencyRate,
      boolean blackhole) {
    public static final Fault NONE = new Fault(0, 503, 0, false, 1.0, false);

    /** Latency on every request, no blackhole. */
    public Fault(double errorRate, int status, long latencyMs, boolean hang) {
      this(errorRate, status, latencyMs, hang, 1.0, false);
    }

    public Fault {
      if (latencyRate < 0 || latencyRate > 1) {
        throw new IllegalArgumentException("latencyRate must be between 0 and 1, was " + latencyRate);
      }
      if (errorRate < 0 || errorRate > 1) {
        throw new IllegalArgumentException("errorRate must be between 0 and 1, was " + errorRate);
      }
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status must be 100..599, was " + status);
      }
      if (latencyMs < 0) {
        throw new IllegalArgumentException("latencyMs must not be negative, was " + latencyMs);
      }
    }

    public String toJson() {
      return "{\"errorRate\":" + errorRate + ",\"status\":" + status + ",\"latencyMs\":" + latencyMs
          + ",\"latencyRate\":" + latencyRate + ",\"hang\":" + hang + ",\"blackhole\":" + blackhole + "}";
    }

    /** Parses the flat JSON form; unknown fields and bad values are errors. */
    public static Fault parse(String json) {
      double errorRate = 0;
      int status = 503;
      long latency = 0;
      boolean hang = false;
      double latencyRate = 1.0;
      boolean blackhole = false;
      Matcher m = FIELD.matcher(json);
      while (m.find()) {
        String v = m.group(2).replace("\"", "");
        switch (m.group(1)) {
          case "errorRate" -> errorRate = Double.parseDouble(v);
          case "status" -> status = Integer.parseInt(v);
          case "latencyMs" -> latency = Long.parseLong(v);
          case "hang" -> hang = Boolean.parseBoolean(v);
          case "latencyRate" -> latencyRate = Double.parseDouble(v);
          case "blackhole" -> blackhole = Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("unknown fault field '" + m.group(1) + "'");
        }
      }
      return new Fault(errorRate, status, latency, hang, latencyRate, blackhole);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Object released = new Object();
  private volatile double lagSeconds;

  public FaultServer(String host, int port) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(host, port), 128);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/_fault", this::control);
    server.createContext("/_lag", this::lag);
    server.createContext("/", this::serve);
  }

  public FaultServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void set(Fault f) {
    fault.set(f);
    synchronized (released) {
      released.notifyAll();
    }
  }

  public double lagSeconds() {
    return lagSeconds;
  }

  public void setLagSeconds(double lag) {
    this.lagSeconds = lag;
  }

  public Fault fault() {
    return fault.get();
  }

  public long requests() {
    return requests.get();
  }

  public long failures() {
    return failures.get();
  }

  private void serve(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    Fault f = fault.get();
    try (ex) {
      if (f.blackhole()) {
        holdWhileBlackholed();
        return;
      }
      if (f.hang()) {
        // hold the request open until the client gives up or the server closes
        waitQuietly(60_000);
        return;
      }
      if (f.latencyMs() > 0 && (f.latencyRate() >= 1 || ThreadLocalRandom.current().nextDouble() < f.latencyRate())) {
        waitQuietly(f.latencyMs());
      }
      if (f.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
        failures.incrementAndGet();
        Http.respond(ex, f.status(), "injected failure\n");
      } else {
        Http.respond(ex, 200, "ok\n");
      }
    }
  }

  private void control(HttpExchange ex) throws IOException {
    try (ex) {
      switch (ex.getRequestMethod()) {
        case "GET" -> Http.respond(ex, 200, fault.get().toJson());
        case "DELETE" -> {
          set(Fault.NONE);
          Http.respond(ex, 200, Fault.NONE.toJson());
        }
        case "PUT", "POST" -> {
          try (InputStream in = ex.getRequestBody()) {
            Fault f = Fault.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            set(f);
            Http.respond(ex, 200, f.toJson());
          } catch (IllegalArgumentException e) {
            Http.respond(ex, 400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
          }
        }
        default -> Http.respond(ex, 405, "{\"error\":\"use GET, PUT or DELETE\"}");
      }
    }
  }

  private void lag(HttpExchange ex) throws IOException {
    try (ex) {
      switch (ex.getRequestMethod()) {
        case "GET" -> Http.respond(ex, 200, "{\"lagSeconds\":" + lagSeconds + "}");
        case "PUT", "POST" -> {
          try (InputStream in = ex.getRequestBody()) {
            Matcher m = FIELD.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!m.find() || !"lagSeconds".equals(m.group(1))) {
              Http.respond(ex, 400, "{\"error\":\"expected {\\\"lagSeconds\\\": <number>}\"}");
              return;
            }
            lagSeconds = Double.parseDouble(m.group(2));
            Http.respond(ex, 200, "{\"lagSeconds\":" + lagSeconds + "}");
          } catch (NumberFormatException e) {
            Http.respond(ex, 400, "{\"error\":\"lagSeconds must be a number\"}");
          }
        }
        default -> Http.respond(ex, 405, "{\"error\":\"use GET or PUT\"}");
      }
    }
  }

  /** Holds the request, unanswered, until the blackhole is cleared or the server stops (at most 10 min). */
  private void holdWhileBlackholed() {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    synchronized (released) {
      while (fault.get().blackhole() && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
        try {
          released.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static void waitQuietly(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
