package io.pharos.testkit.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Small HTTP helpers: a JSON-over-HTTP client for polling local processes, and the answer of the
 * test servers (fault servers, proxies, fakes) built on the JDK's HTTP server.
 */
public final class Http {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).version(HttpClient.Version.HTTP_1_1).build();

  private Http() {}

  /** The status code and JSON body, or empty when nothing answered. */
  public static Optional<Response> get(String url) {
    return exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build());
  }

  /**
   * As {@link #get(String)} with a bearer token (the controllers' API needs one for everything but
   * health); none sent when {@code token} is null.
   */
  public static Optional<Response> get(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return exchange(b.build());
  }

  public static Optional<Response> send(String method, String url, String body) {
    return send(method, url, body, java.util.Map.of());
  }

  /** As {@link #send(String, String, String)} with extra request headers (e.g. Authorization). */
  public static Optional<Response> send(String method, String url, String body, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return exchange(b.build());
  }

  private static Optional<Response> exchange(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Response(r.statusCode(), r.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Answers {@code ex} with {@code status} and a text body, typed by its look (XML, JSON or plain
   * text: SDKs pick their error parser by the content type).
   */
  public static void respond(HttpExchange ex, int status, String body) throws IOException {
    String start = body.stripLeading();
    ex.getResponseHeaders().set("Content-Type", start.startsWith("<") ? "text/xml"
        : start.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
    respond(ex, status, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers {@code ex} with {@code status} and {@code body} as it is (no body at all when empty). */
  public static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** A status code and body. */
  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }
}
