package io.pharos.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * status code, added latency, or hanging requests. It answers {@code GET /healthz} with
 * {@code ok}. Faults are set through {@link #set(Fault)} or over HTTP:
 * {@code PUT /_fault} with {@code {"errorRate":0.05,"status":503,"latencyMs":2000,"hang":false}},
 * {@code DELETE /_fault} to clear, {@code GET /_fault} to read.
 */
public final class FaultServer implements AutoCloseable {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*([^,}\\s]+)");

  /** What the server does to each request. */
  public record Fault(double errorRate, int status, long latencyMs, boolean hang) {
    public static final Fault NONE = new Fault(0, 503, 0, false);

    public Fault {
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
          + ",\"hang\":" + hang + "}";
    }

    /** Parses the flat JSON form; unknown fields and bad values are errors. */
    public static Fault parse(String json) {
      double errorRate = 0;
      int status = 503;
      long latency = 0;
      boolean hang = false;
      Matcher m = FIELD.matcher(json);
      while (m.find()) {
        String v = m.group(2).replace("\"", "");
        switch (m.group(1)) {
          case "errorRate" -> errorRate = Double.parseDouble(v);
          case "status" -> status = Integer.parseInt(v);
          case "latencyMs" -> latency = Long.parseLong(v);
          case "hang" -> hang = Boolean.parseBoolean(v);
          default -> throw new IllegalArgumentException("unknown fault field '" + m.group(1) + "'");
        }
      }
      return new Fault(errorRate, status, latency, hang);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

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
      if (f.hang()) {
        // hold the request open until the client gives up or the server closes
        waitQuietly(60_000);
        return;
      }
      if (f.latencyMs() > 0) {
        waitQuietly(f.latencyMs());
      }
      if (f.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < f.errorRate()) {
        failures.incrementAndGet();
        respond(ex, f.status(), "injected failure\n");
      } else {
        respond(ex, 200, "ok\n");
      }
    }
  }

  private void control(HttpExchange ex) throws IOException {
    try (ex) {
      switch (ex.getRequestMethod()) {
        case "GET" -> respond(ex, 200, fault.get().toJson());
        case "DELETE" -> {
          fault.set(Fault.NONE);
          respond(ex, 200, Fault.NONE.toJson());
        }
        case "PUT", "POST" -> {
          try (InputStream in = ex.getRequestBody()) {
            Fault f = Fault.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            fault.set(f);
            respond(ex, 200, f.toJson());
          } catch (IllegalArgumentException e) {
            respond(ex, 400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
          }
        }
        default -> respond(ex, 405, "{\"error\":\"use GET, PUT or DELETE\"}");
      }
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
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
