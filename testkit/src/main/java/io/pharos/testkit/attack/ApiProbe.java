package io.pharos.testkit.attack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTTP side of the API attacks (attacker pieces for the hostile-neighbour suite: they act with
 * only what an outsider has and are bounded in count and time): one request as an outsider sends
 * it, and what came back. Answers are kept (status and the rate-limit headers), never the token sent.
 */
final class ApiProbe {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();

  private ApiProbe() {}

  /** One answer; status 0 when nothing answered. */
  record Answer(int status, Map<String, String> rateLimit, String body) {}

  static Answer send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> rate = new TreeMap<>();
      for (String h : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")) {
        r.headers().firstValue(h).ifPresent(v -> rate.put(h, v));
      }
      return new Answer(r.statusCode(), rate, r.body());
    } catch (IOException e) {
      return new Answer(0, Map.of(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, Map.of(), "interrupted");
    }
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url));
  }

  /** Statuses counted: status to how many times. */
  static Map<Integer, Integer> count(List<Answer> answers) {
    Map<Integer, Integer> out = new TreeMap<>();
    answers.forEach(a -> out.merge(a.status(), 1, Integer::sum));
    return out;
  }

  static Optional<Answer> first(List<Answer> answers, int status) {
    return answers.stream().filter(a -> a.status() == status).findFirst();
  }

  static List<Answer> list() {
    return new ArrayList<>();
  }
}
