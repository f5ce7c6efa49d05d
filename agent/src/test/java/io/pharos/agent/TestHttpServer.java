package io.pharos.agent;

import com.sun.net.httpserver.HttpServer;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A probe target on 127.0.0.1: {@code /ok} (200 "ok"), {@code /status} (503), {@code /body} (200
 * "nope"), {@code /slow} (200 "ok" after {@link #SLOW_MILLIS}), {@code /hang} (never answers
 * until closed) and {@code /app}, whose status and body tests change.
 */
public final class TestHttpServer implements AutoCloseable {
  public static final long SLOW_MILLIS = 200;

  static {
    // The JDK server otherwise adds ~40 ms per answer (Nagle).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile int appStatus = 200;
  private volatile String appBody = "ok";

  private TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/ok", ex -> Http.respond(ex, 200, "ok"));
    server.createContext("/status", ex -> Http.respond(ex, 503, "unavailable"));
    server.createContext("/body", ex -> Http.respond(ex, 200, "nope"));
    server.createContext("/slow", ex -> {
      pause(SLOW_MILLIS);
      Http.respond(ex, 200, "ok");
    });
    server.createContext("/hang", ex -> {
      awaitRelease();
      Http.respond(ex, 200, "late");
    });
    server.createContext("/app", ex -> Http.respond(ex, appStatus, appBody));
    server.start();
  }

  public static TestHttpServer start() throws IOException {
    return new TestHttpServer();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** What {@code /app} answers from now on. */
  public void app(int status, String body) {
    this.appStatus = status;
    this.appBody = body;
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void awaitRelease() {
    try {
      released.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Simulated server latency (the fixture's behaviour, not test synchronisation). */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
