package io.pharos.cli.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.core.config.ApiConfig;
import io.pharos.core.config.ConfigException;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.security.TrustedCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Which controllers an operator command talks to ({@code --api} URLs, or the peers of
 * {@code --config}), how (https with the API's CA when the config has {@code api.tls} or
 * {@code --ca} is given), and the calls themselves. A mutating call tries every controller, goes
 * where a follower's 409 points, and says which controllers did not answer.
 *
 * <p>The token comes from {@code PHAROS_TOKEN} (the old {@code PHAROS_ADMIN_TOKEN} is still read,
 * with a deprecation line) and is never printed. It is sent over plain HTTP only to a loopback
 * address, unless {@code --insecure}.
 */
final class ControllerTarget {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** How long a call waits for an acting leader when every controller says there is none. */
  static final Duration LEADER_WAIT = Duration.ofSeconds(5);

  @Option(names = "--api", split = ",", description = "controller API base URLs (https://host:port), comma-separated")
  List<String> api;

  @Option(names = "--config", description = "Pharos config file: talk to the controllers it lists (its api.tls.caFile"
      + " is trusted)")
  Path config;

  @Option(names = "--ca", description = "PEM file of the CA that signed the controllers' API certificates")
  Path ca;

  @Option(names = "--insecure", description = "allow sending the token over plain HTTP to a non-loopback address")
  boolean insecure;

  /** The token to send, when a test sets it instead of the environment. */
  String token;

  private PharosConfig parsed;
  private HttpClient http;

  /** A controller's answer; status 0 when it did not answer. */
  record Answer(String url, int status, JsonNode body, List<String> unreachable) {
    Answer(String url, int status, JsonNode body) {
      this(url, status, body, List.of());
    }

    Answer withUnreachable(List<String> urls) {
      return new Answer(url, status, body, List.copyOf(urls));
    }

    String error() {
      return body.path("error").asText("");
    }
  }

  List<String> urls() {
    if (api != null && !api.isEmpty()) {
      return api.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    }
    if (config == null) {
      throw new IllegalArgumentException("say which controllers: --api https://host:port[,...] or --config FILE");
    }
    ApiConfig a = config().api();
    List<String> urls = new ArrayList<>();
    for (ControllerPeer p : config().controllers().peers()) {
      urls.add(a.scheme() + "://" + p.api());
    }
    return urls;
  }

  /** The config named by --config (only its controllers and api sections are used). */
  PharosConfig config() {
    if (parsed == null) {
      try {
        // no secret is needed to talk to the controllers: the report keys are required by role, at start
        parsed = ConfigLoader.parse(Files.readString(config), Map.of());
      } catch (IOException e) {
        throw new ConfigException("cannot read " + config + ": " + e.getMessage());
      }
    }
    return parsed;
  }

  /** A JSON body from alternating keys and values, in that order. */
  static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The token to send: PHAROS_TOKEN, or the deprecated PHAROS_ADMIN_TOKEN. */
  String token() {
    if (token != null) {
      return token;
    }
    String t = System.getenv("PHAROS_TOKEN");
    if (t == null || t.isBlank()) {
      t = System.getenv("PHAROS_ADMIN_TOKEN");
      if (t != null && !t.isBlank()) {
        System.err.println("pharos: PHAROS_ADMIN_TOKEN is deprecated and will be ignored in the next release; set"
            + " PHAROS_TOKEN to a named token (pharos tokens create)");
      }
    }
    if (t == null || t.isBlank()) {
      throw new IllegalArgumentException("set PHAROS_TOKEN to an API token (`pharos tokens create` makes one; reads"
          + " need viewer, changes operator, membership admin)");
    }
    return token = t.strip();
  }

  /** GETs {@code path} from every controller, in order. */
  List<Answer> getAll(String path) {
    List<Answer> out = new ArrayList<>();
    for (String u : urls()) {
      out.add(send(u, path, null));
    }
    return out;
  }

  /** GETs {@code path} from the first controller that answers; the silent ones before it are named. */
  Answer getAny(String path) {
    List<String> unreachable = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (String u : urls()) {
      Answer a = send(u, path, null);
      if (a.status() != 0) {
        return a.withUnreachable(unreachable);
      }
      unreachable.add(u);
      why.add(u + ": " + a.error());
    }
    return new Answer(String.join(", ", unreachable), 0, MAPPER.createObjectNode().put("error",
        "no controller answered (" + String.join("; ", why) + ")"), unreachable);
  }

  /**
   * Posts to the controllers until the acting leader answers: every controller is tried (one that
   * does not answer is passed over, not the end of the call), a follower's leader hint is
   * followed first, and when every controller says there is no acting leader (an election), the
   * round is tried again for up to {@link #LEADER_WAIT}. Returns the leader's answer, or else the
   * most telling one, with the controllers that did not answer.
   */
  Answer postToLeader(String path, Map<String, Object> body) {
    token();
    long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
    while (true) {
      Answer a = round(path, body);
      if (!notLeader(a) || System.nanoTime() > deadline) {
        return a;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return a;
      }
    }
  }

  private Answer round(String path, Map<String, Object> body) {
    Deque<String> next = new ArrayDeque<>(urls());
    Set<String> tried = new HashSet<>();
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
    return a.status() == 409 && a.error().contains("not the acting leader");
  }

  Answer send(String base, String path, Map<String, Object> body) {
    return send(base, path, body, true);
  }

  /**
   * One call; {@code withToken} false for a call that carries its own credential in the body (a
   * break-glass code), which is then held to the same rule: encrypted unless loopback or --insecure.
   */
  Answer send(String base, String path, Map<String, Object> body, boolean withToken) {
    URI uri = URI.create(base + path);
    refusePlainTextToken(uri);
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
      if (withToken) {
        b.header("Authorization", "Bearer " + token());
      }
      if (body != null) {
        b.POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
            .header("Content-Type", "application/json");
      }
      HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        if (r.headers().firstValue("content-type").orElse("").startsWith("application/x-ndjson")) {
          throw new IOException("JSON lines: kept as text");
        }
        json = MAPPER.readTree(r.body());
        if (json == null || !json.isObject()) {
          json = MAPPER.createObjectNode().put("text", r.body());
        }
      } catch (IOException e) {
        json = MAPPER.createObjectNode().put("text", r.body());
      }
      if (r.statusCode() == 429) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("retryAfter",
            r.headers().firstValue("Retry-After").orElse("?"));
      }
      return new Answer(base, r.statusCode(), json);
    } catch (javax.net.ssl.SSLException e) {
      return new Answer(base, 0, MAPPER.createObjectNode().put("error", "TLS failed (" + e.getMessage() + "): is "
          + "--ca (or api.tls.caFile) the CA that signed the controller's certificate?"));
    } catch (IOException e) {
      return new Answer(base, 0, MAPPER.createObjectNode().put("error", "unreachable: " + e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(base, 0, MAPPER.createObjectNode().put("error", "interrupted"));
    }
  }

  /** A token crosses a network only encrypted: plain HTTP is for loopback, or with --insecure. */
  private void refusePlainTextToken(URI uri) {
    if (insecure || !"http".equalsIgnoreCase(uri.getScheme())) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(uri.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new IllegalArgumentException("refusing to send a credential over plain HTTP to " + uri.getHost()
          + ": use https (api.tls in the config, or an https:// --api URL) or, knowing the network, --insecure");
    }
  }

  private HttpClient client() {
    if (http == null) {
      Path caFile = ca;
      if (caFile == null && config != null && config().api().tls() != null && config().api().tls().caFile() != null) {
        caFile = Path.of(config().api().tls().caFile());
      }
      if (caFile == null && System.getenv("PHAROS_CA_FILE") != null) {
        caFile = Path.of(System.getenv("PHAROS_CA_FILE"));
      }
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
      if (caFile != null) {
        try {
          b.sslContext(TrustedCa.sslContext(Files.readString(caFile)));
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage());
        }
      }
      http = b.build();
    }
    return http;
  }

  /** Prints the outcome of a mutating call; 0 when committed. */
  static int report(Answer a, String what) {
    if (!a.unreachable().isEmpty()) {
      System.err.println("pharos: not answering: " + String.join(", ", a.unreachable()));
    }
    if (a.status() == 200) {
      System.out.println(what + ": committed (token " + a.body().path("token").asText() + ") via " + a.url()
          + (a.body().path("audited").asBoolean(true) ? "" : "; not yet in the audit chain (see the controller's log)"));
      return 0;
    }
    System.err.println("pharos: " + what + " failed: " + explain(a));
    return ExitCodes.of(a);
  }

  private static String leaderHint(Answer a) {
    String leader = a.body().path("leader").asText("");
    String api = a.body().path("leaderApi").asText("");
    if (leader.isEmpty() && api.isEmpty()) {
      return "";
    }
    return "; the acting leader is " + (leader.isEmpty() ? "?" : leader) + (api.isEmpty() ? "" : " at " + api)
        + " (pass it with --api, or list every controller in --config)";
  }

  /** What an answer that is not 200 means, for a person. */
  static String explain(Answer a) {
    return switch (a.status()) {
      case 0 -> "no controller answered; tried " + String.join(", ", a.unreachable().isEmpty() ? List.of(a.url())
          : a.unreachable()) + ": " + a.error();
      case 401 -> "unauthorized (HTTP 401): the token was not accepted (" + a.error() + "); set PHAROS_TOKEN to a"
          + " token from `pharos tokens create`";
      case 403 -> "forbidden (HTTP 403): " + a.error() + "; use a token with the role this call needs (viewer reads,"
          + " operator changes, admin membership and tokens: `pharos tokens create --role ...`)";
      case 409 -> "conflict (HTTP 409): " + a.error() + leaderHint(a);
      case 429 -> "rate limited (HTTP 429): " + a.error() + "; try again in " + a.body().path("retryAfter").asText("?")
          + " s";
      default -> "HTTP " + a.status() + ": " + (a.error().isEmpty() ? a.body().path("text").asText("") : a.error());
    };
  }
}
