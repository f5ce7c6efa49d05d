package io.pharos.agent;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking GETs against an agent's HTTP endpoint, for tests. */
public final class AgentHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Status and JSON body. */
  public record Answer(int status, JsonObject json, String contentType) {}

  private AgentHttp() {}

  /** The body of a GET answered 200, as text (for {@code /metrics}). */
  public static String text(int port, String path) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  public static Answer get(int port, String path) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), new JsonObject(r.body()), r.headers().firstValue("content-type").orElse(""));
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }
}
