package io.pharos.chaos.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.sandbox.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Three regions with a fault-server app each, and one fake controller (in region a) whose
 * timeline and operator answers the test scripts. Everything else (readiness, URLs, faults it
 * cannot inject) is the real {@link RegionalEnvironment}'s.
 */
final class FakeEnvironment extends RegionalEnvironment {
  static final List<String> REGIONS = List.of("a", "b", "c");
  private final HttpServer controller;
  private final Map<String, FaultServer> apps;
  private final List<long[]> eventTimes = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Operator calls received: method, path, Authorization header and body. */
  final List<String> operatorCalls = new CopyOnWriteArrayList<>();
  /** Status code and body the fake leader answers operator calls with. */
  volatile String[] operatorAnswer = {"200", "{\"committed\":true,\"token\":\"1:7\"}"};

  FakeEnvironment() throws IOException {
    apps = Map.of("a", new FaultServer("127.0.0.1", 0).start(), "b", new FaultServer("127.0.0.1", 0).start(), "c",
        new FaultServer("127.0.0.1", 0).start());
    controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    controller.createContext("/ready", ex -> send(ex, 200, "{}"));
    controller.createContext("/v1/status", ex -> send(ex, 200, "{\"controller\":\"c1\",\"role\":\"LEADER\","
        + "\"leader\":\"c1\",\"graceRemainingMs\":0,\"pending\":null,\"regions\":{\"a\":{\"state\":\"HEALTHY\"},"
        + "\"b\":{\"state\":\"HEALTHY\"},\"c\":{\"state\":\"HEALTHY\"}}}"));
    controller.createContext("/v1/events", ex -> {
      String q = ex.getRequestURI().getQuery();
      long since = q == null ? 0 : Long.parseLong(q.replace("since=", ""));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < events.size(); i++) {
        if (eventTimes.get(i)[0] >= since) {
          sb.append(events.get(i)).append('\n');
        }
      }
      send(ex, 200, sb.toString());
    });
    controller.createContext("/v1/regions/", ex -> {
      operatorCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " auth="
          + ex.getRequestHeaders().getFirst("Authorization") + " " + new String(ex.getRequestBody().readAllBytes(),
              StandardCharsets.UTF_8));
      send(ex, Integer.parseInt(operatorAnswer[0]), operatorAnswer[1]);
    });
    controller.start();
  }

  /** Appends a timeline event as the controllers would serve it. */
  synchronized void event(String type, String region, String decisionId, String detail) {
    event(type, region, decisionId, "RegionDown", detail);
  }

  /** Appends a timeline event with its code (an alert's, e.g.); returns its time. */
  synchronized long event(String type, String region, String decisionId, String code, String detail) {
    long at = System.currentTimeMillis();
    eventTimes.add(new long[] {at});
    events.add("{\"at\":" + at + ",\"type\":\"" + type + "\",\"region\":\"" + region
        + "\",\"decisionId\":\"" + decisionId + "\",\"code\":\"" + code + "\",\"detail\":\"" + detail
        + "\",\"controller\":\"c1\",\"token\":null}");
    return at;
  }

  FaultServer app(String region) {
    return apps.get(region);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    try (ex) {
      Http.respond(ex, status, body);
    }
  }

  @Override
  public String kind() {
    return "sandbox";
  }

  @Override
  public String describe() {
    return "fake environment";
  }

  @Override
  protected List<Site> sites() {
    return REGIONS.stream().map(r -> r.equals("a")
        ? new Site(r, appBase(r), null, "c1", "http://127.0.0.1:" + controller.getAddress().getPort(), null, Set.of(),
            Map.of())
        : new Site(r, appBase(r), null, null, null, null, Set.of(), Map.of())).toList();
  }

  private String appBase(String region) {
    return "http://127.0.0.1:" + apps.get(region).port();
  }

  @Override
  public String record() {
    return null;
  }

  @Override
  public Optional<String> token() {
    return Optional.of("test-only-operator-token");
  }

  @Override
  public void close() {
    controller.stop(0);
    apps.values().forEach(FaultServer::close);
  }
}
