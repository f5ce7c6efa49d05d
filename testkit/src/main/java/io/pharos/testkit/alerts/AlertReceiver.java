package io.pharos.testkit.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Local stand-ins for Slack, PagerDuty and Alertmanager on loopback: every POST is recorded with
 * its JSON body and the status answered; a path prefix can be made to fail (500 by default) to test
 * retries and failing receivers. Paths: {@link #SLACK}, {@link #PAGERDUTY}, {@link #ALERTMANAGER}
 * (the base URL; Pharos posts to {@code /api/v2/alerts} under it).
 */
public final class AlertReceiver implements AutoCloseable {
  public static final String SLACK = "/slack/services/T0/B0/test-only";
  public static final String PAGERDUTY = "/pagerduty/v2/enqueue";
  public static final String ALERTMANAGER = "/am";
  /** The PagerDuty routing key of the tests: not a real key. */
  public static final String ROUTING_KEY = "test-only-routing-key";

  /** One request: the path, the body, the status answered. */
  public record Request(String path, JsonNode body, int status) {
    public boolean accepted() {
      return status / 100 == 2;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final java.util.concurrent.ExecutorService threads = Executors.newFixedThreadPool(4, t -> {
    Thread th = new Thread(t, "alert-receiver");
    th.setDaemon(true);
    return th;
  });
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> failing = new ConcurrentHashMap<>();

  private AlertReceiver(HttpServer server) {
    this.server = server;
  }

  public static AlertReceiver start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      AlertReceiver r = new AlertReceiver(s);
      s.createContext("/", r::handle);
      s.setExecutor(r.threads);
      s.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #ROUTING_KEY} to {@code dir/pagerduty-key}, for a receiver's {@code routingKeyFile}. */
  public static Path routingKeyFile(Path dir) {
    try {
      return Files.writeString(dir.resolve("pagerduty-key"), ROUTING_KEY + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of {@code path} on this server. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Requests under {@code prefix} are answered {@code status} from now on. */
  public void fail(String prefix, int status) {
    failing.put(prefix, status);
  }

  /** Requests under {@code prefix} are accepted again. */
  public void heal(String prefix) {
    failing.remove(prefix);
  }

  /** Every request under {@code prefix}, answered or refused, in arrival order. */
  public List<Request> all(String prefix) {
    return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  /** The bodies of the requests under {@code prefix} that were accepted, in arrival order. */
  public List<JsonNode> accepted(String prefix) {
    return all(prefix).stream().filter(Request::accepted).map(Request::body).toList();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      JsonNode body;
      try {
        body = JSON.readTree(x.getRequestBody().readAllBytes());
      } catch (IOException e) {
        body = JSON.getNodeFactory().textNode("unparseable: " + e.getMessage());
      }
      int status = failing.entrySet().stream().filter(f -> path.startsWith(f.getKey())).map(Map.Entry::getValue)
          .findFirst().orElse(path.startsWith(PAGERDUTY) ? 202 : 200);
      if (!"POST".equals(x.getRequestMethod()) || !"application/json".equals(x.getRequestHeaders()
          .getFirst("Content-Type"))) {
        status = 415;
      }
      requests.add(new Request(path, body, status));
      byte[] answer = (status / 100 == 2 ? (path.startsWith(PAGERDUTY) ? "{\"status\":\"success\"}" : "ok")
          : "failing").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, answer.length);
      x.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
