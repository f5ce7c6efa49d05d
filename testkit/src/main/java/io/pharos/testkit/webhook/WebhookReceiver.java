package io.pharos.testkit.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A local receiver of Pharos mode webhooks on loopback, as an application would run one: verifies
 * every delivery ({@link WebhookVerifier}), answers 401 to a forged or unsigned one, and per region
 * keeps the mode with the highest token, ignoring older tokens (answered 200: nothing to retry).
 * Can be told to fail the next deliveries (503), to test retries.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A verified delivery. */
  public record Delivery(String region, String mode, long term, long index, boolean applied, JsonNode body) {}

  private final HttpServer server;
  private final WebhookVerifier verifier;
  private final LongSupplier nowSeconds;
  private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final Map<String, long[]> newest = new ConcurrentHashMap<>();
  private final AtomicInteger failNext = new AtomicInteger();

  public WebhookReceiver(byte[] secret, LongSupplier nowSeconds) throws IOException {
    this.verifier = new WebhookVerifier(secret, 300);
    this.nowSeconds = nowSeconds;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/pharos/mode", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pharos/mode");
  }

  /** The next {@code n} deliveries are answered 503. */
  public void failNext(int n) {
    failNext.set(n);
  }

  public List<Delivery> accepted() {
    return List.copyOf(accepted);
  }

  /** Why each refused delivery was refused. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readAllBytes();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        x.sendResponseHeaders(503, -1);
        return;
      }
      String problem = verifier.problem(x.getRequestHeaders().getFirst("X-Pharos-Timestamp"),
          x.getRequestHeaders().getFirst("X-Pharos-Signature"), body, nowSeconds.getAsLong());
      if (problem != null) {
        refused.add(problem);
        x.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode j = MAPPER.readTree(body);
      String region = j.path("region").asText();
      long term = j.path("term").asLong();
      long index = j.path("index").asLong();
      long[] held = newest.get(region);
      boolean newer = held == null || term > held[0] || (term == held[0] && index > held[1]);
      if (newer) {
        newest.put(region, new long[] {term, index});
      }
      accepted.add(new Delivery(region, j.path("mode").asText(), term, index, newer, j));
      x.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
