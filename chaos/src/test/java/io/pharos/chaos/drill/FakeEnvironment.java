package io.pharos.chaos.drill;

import com.sun.net.httpserver.HttpServer;
import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One fake controller (status and a scriptable timeline) and three fault-server apps. */
final class FakeEnvironment implements DrillEnvironment {
  static final List<String> REGIONS = List.of("a", "b", "c");
  private final HttpServer controller;
  private final Map<String, FaultServer> apps;
  private final List<long[]> eventTimes = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  FakeEnvironment() throws IOException {
    apps = Map.of("a", new FaultServer("127.0.0.1", 0).start(), "b", new FaultServer("127.0.0.1", 0).start(), "c",
        new FaultServer("127.0.0.1", 0).start());
    controller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    controller.createContext("/ready", ex -> send(ex, "{}"));
    controller.createContext("/v1/status", ex -> send(ex, "{\"controller\":\"c1\",\"role\":\"LEADER\",\"leader\":\"c1\","
        + "\"graceRemainingMs\":0,\"pending\":null,\"regions\":{\"a\":{\"state\":\"HEALTHY\"},\"b\":{\"state\":"
        + "\"HEALTHY\"},\"c\":{\"state\":\"HEALTHY\"}}}"));
    controller.createContext("/v1/events", ex -> {
      String q = ex.getRequestURI().getQuery();
      long since = q == null ? 0 : Long.parseLong(q.replace("since=", ""));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < events.size(); i++) {
        if (eventTimes.get(i)[0] >= since) {
          sb.append(events.get(i)).append('\n');
        }
      }
      send(ex, sb.toString());
    });
    controller.createContext("/v1/regions/", ex -> {
      operatorCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " auth="
          + ex.getRequestHeaders().getFirst("Authorization") + " " + new String(ex.getRequestBody().readAllBytes(),
              StandardCharsets.UTF_8));
      byte[] b = operatorAnswer[1].getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(Integer.parseInt(operatorAnswer[0]), b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
      ex.close();
    });
    controller.start();
  }

  /** Operator calls received: method, path, Authorization header and body. */
  final List<String> operatorCalls = new CopyOnWriteArrayList<>();
  /** Status code and body the fake leader answers operator calls with. */
  volatile String[] operatorAnswer = {"200", "{\"committed\":true,\"token\":\"1:7\"}"};

  @Override
  public Optional<String> adminToken() {
    return Optional.of("fake-admin-token");
  }

  /** Appends a timeline event as the controllers would serve it. */
  synchronized void event(String type, String region, String decisionId, String detail) {
    long at = System.currentTimeMillis();
    eventTimes.add(new long[] {at});
    events.add("{\"at\":" + at + ",\"type\":\"" + type + "\",\"region\":\"" + region
        + "\",\"decisionId\":\"" + decisionId + "\",\"code\":\"RegionDown\",\"detail\":\"" + detail
        + "\",\"controller\":\"c1\",\"token\":null}");
  }

  FaultServer app(String region) {
    return apps.get(region);
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    }
    ex.close();
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
  public boolean isSandbox() {
    return true;
  }

  @Override
  public void prepare(Duration timeout, Consumer<String> progress) {
    SandboxReadiness.await(this, timeout, progress);
  }

  @Override
  public List<String> regions() {
    return REGIONS;
  }

  @Override
  public List<String> controllerUrls() {
    return List.of("http://127.0.0.1:" + controller.getAddress().getPort());
  }

  @Override
  public Optional<String> regionOfController(String controllerId) {
    return Optional.of("a");
  }

  @Override
  public List<HostPort> nameServers() {
    return List.of();
  }

  @Override
  public String record() {
    return null;
  }

  @Override
  public Map<String, Set<String>> addresses() {
    return Map.of();
  }

  @Override
  public Optional<String> appUrl(String region) {
    return Optional.of("http://127.0.0.1:" + apps.get(region).port());
  }

  @Override
  public Optional<String> agentUrl(String region) {
    return Optional.empty();
  }

  @Override
  public ProcessTarget process(String component, String region) {
    throw new IllegalArgumentException("no processes here");
  }

  @Override
  public Optional<NetnsNetwork.Descriptor> network() {
    return Optional.empty();
  }

  @Override
  public Set<String> nodes(List<String> refs) {
    throw new IllegalArgumentException("no network here");
  }

  @Override
  public Optional<String> notReady() {
    return Optional.empty();
  }

  @Override
  public Map<String, TcpChaosProxy> proxies() {
    return Map.of();
  }

  @Override
  public Optional<HttpChaosProxy> providerProxy() {
    return Optional.empty();
  }

  @Override
  public List<RevertSpec> cleanup() {
    return List.of();
  }

  @Override
  public void close() {
    controller.stop(0);
    apps.values().forEach(FaultServer::close);
  }
}
