package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.ConfigException;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which controllers an operator command talks to ({@code --api} URLs, or the peers of
 * {@code --config}), and the calls themselves: a mutating call goes to each controller in turn
 * until the acting leader accepts it. The bearer token comes from {@code PHAROS_ADMIN_TOKEN} and is
 * never printed.
 */
final class ControllerTarget {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Option(names = "--api", split = ",", description = "controller API base URLs (http://host:port), comma-separated")
  List<String> api;

  @Option(names = "--config", description = "Pharos config file: talk to the controllers it lists")
  Path config;

  @Option(names = "--by", description = "who is asking (recorded on the timeline; default: $USER)")
  String by;

  /**
   * A controller's answer.
   *
   * @param unreachable the controllers that did not answer before this one did
   */
  record Answer(String url, int status, JsonNode body, List<String> unreachable) {
    Answer(String url, int status, JsonNode body) {
      this(url, status, body, List.of());
    }

    Answer withUnreachable(List<String> urls) {
      return new Answer(url, status, body, List.copyOf(urls));
    }
  }

  List<String> urls() {
    if (api != null && !api.isEmpty()) {
      return api.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    }
    if (config == null) {
      throw new IllegalArgumentException("say which controllers: --api http://host:port[,...] or --config FILE");
    }
    try {
      // only the peer list is needed: no signing key required for operator commands
      String yaml = Files.readString(config);
      List<String> urls = new ArrayList<>();
      for (ControllerPeer p : ConfigLoader.parse(yaml, Map.of("PHAROS_HMAC_KEY", "operator-cli-placeholder-key"))
          .controllers().peers()) {
        urls.add("http://" + p.api());
      }
      return urls;
    } catch (IOException e) {
      throw new ConfigException("cannot read " + config + ": " + e.getMessage());
    }
  }

  /** A JSON body from alternating keys and values, in that order. */
  static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  String by() {
    return by != null ? by : System.getProperty("user.name", "operator");
  }

  List<Answer> getAll(String path) {
    List<Answer> out = new ArrayList<>();
    for (String u : urls()) {
      out.add(send(u, path, null));
    }
    return out;
  }

  /**
   * Posts to the controllers until the acting leader accepts: every controller is tried (one that
   * does not answer is passed over, not the end of the call), a follower's leader hint is
   * followed first, and the answer of the leader, or else the most telling refusal, is returned
   * with the controllers that did not answer.
   */
  Answer postToLeader(String path, Map<String, Object> body) {
    String token = System.getenv("PHAROS_ADMIN_TOKEN");
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("set PHAROS_ADMIN_TOKEN to the controllers' operator token");
    }
    java.util.Deque<String> next = new java.util.ArrayDeque<>(urls());
    java.util.Set<String> tried = new java.util.HashSet<>();
    List<String> unreachable = new ArrayList<>();
    Answer best = null;
    while (!next.isEmpty()) {
      String u = next.poll();
      if (!tried.add(u)) {
        continue;
      }
      Answer a = send(u, path, body);
      if (a.status() == 0) {
        unreachable.add(u);
        continue;
      }
      if (!notLeader(a)) {
        return a.withUnreachable(unreachable);
      }
      best = a;
      String hint = a.body().path("leaderApi").asText("");
      if (!hint.isEmpty() && !tried.contains(hint)) {
        next.addFirst(hint);
      }
    }
    return best != null ? best.withUnreachable(unreachable)
        : new Answer(String.join(", ", unreachable), 0, MAPPER.createObjectNode().put("error",
            "no controller answered"), unreachable);
  }

  private static boolean notLeader(Answer a) {
    return a.status() == 409 && a.body().path("error").asText().contains("not the acting leader");
  }

  private static Answer send(String base, String path, Map<String, Object> body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
      if (body != null) {
        b.POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + System.getenv("PHAROS_ADMIN_TOKEN"));
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = MAPPER.readTree(r.body());
      } catch (IOException e) {
        json = MAPPER.createObjectNode().put("error", r.body());
      }
      return new Answer(base, r.statusCode(), json);
    } catch (IOException e) {
      return new Answer(base, 0, MAPPER.createObjectNode().put("error", "unreachable: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(base, 0, MAPPER.createObjectNode().put("error", "interrupted"));
    }
  }

  /** Prints the outcome of a mutating call; 0 when committed. */
  static int report(Answer a, String what) {
    if (!a.unreachable().isEmpty()) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() == 200) {
      System.out.println(what + ": committed (token " + a.body().path("token").asText() + ") via " + a.url());
      return 0;
    }
    System.err.println("pharos: " + what + " failed (" + (a.status() == 0 ? "no controller answered" : "HTTP "
        + a.status()) + "): " + a.body().path("error").asText());
    return 1;
  }
}
