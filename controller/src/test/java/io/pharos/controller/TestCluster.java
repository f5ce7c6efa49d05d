package io.pharos.controller;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.tls.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Three real controllers in one JVM (each with its own Hazelcast member, Vert.x, Raft server and
 * DNS server) fed by report publishers that play one agent per region over a Hazelcast client —
 * the same path real agents use ({@link ReportingAgents}). A region in {@link #dead} fails every
 * probe of its endpoints.
 */
final class TestCluster implements AutoCloseable {
  final PharosConfig config;
  /** Throwaway tokens (test-only, not secrets): one per role. */
  final String viewerToken;
  final String operatorToken;
  final String adminToken;
  /** Throwaway break-glass codes (test-only) whose hashes the controllers hold. */
  final List<String> breakGlassCodes;
  final List<PharosController> controllers = new ArrayList<>();
  final Set<String> dead;
  final Set<String> silent;
  private final Path dir;
  private HazelcastInstance client;
  private ReportingAgents agents;

  private final Path tls;
  private final TestPki.Authority ca;

  TestCluster(Path dir) throws Exception {
    this(dir, "{ startupGrace: 0s, cooldown: 1m }", "");
  }

  /**
   * With another {@code policy:} (a flow mapping) and more top-level sections ({@code extraYaml},
   * e.g. {@code alerts:}).
   */
  TestCluster(Path dir, String policy, String extraYaml) throws Exception {
    this.dir = dir;
    StringBuilder y = new StringBuilder("regions:\n");
    for (String r : List.of("a", "b", "c")) {
      y.append("  - { name: ").append(r).append(", endpoints: [ { id: app, url: \"http://127.0.0.1:9/").append(r)
          .append("\" } ] }\n");
    }
    y.append("dns:\n  zone: pharos.test\n  records:\n    - { name: app.pharos.test, ttl: 5, targets: { a: [\"10.0.0.1\"],"
        + " b: [\"10.0.0.2\"], c: [\"10.0.0.3\"] }, weights: { a: 50, b: 30, c: 20 } }\n");
    // Raft between the controllers over mutual TLS, as in every sandbox: throwaway certificates
    tls = dir.resolve("tls");
    ca = TestPki.authority("test-only-cluster-ca");
    ca.writeCertificate(tls.resolve("ca.crt"));
    for (String r : List.of("a", "b", "c")) {
      issue("c-" + r, "127.0.0.1");
    }
    y.append("controllers:\n  tls: { certFile: \"").append(tls.resolve("{id}.crt")).append("\", keyFile: \"")
        .append(tls.resolve("{id}.key")).append("\", caFile: \"").append(tls.resolve("ca.crt")).append("\" }\n");
    y.append("  peers:\n");
    for (String r : List.of("a", "b", "c")) {
      y.append("    - { id: c-").append(r).append(", region: ").append(r).append(", raft: \"127.0.0.1:")
          .append(Ports.free()).append("\", hazelcast: \"127.0.0.1:").append(Ports.free())
          .append("\", api: \"127.0.0.1:").append(Ports.free()).append("\", dns: \"127.0.0.1:").append(Ports.free())
          .append("\" }\n");
    }
    y.append("probes: { interval: 1s, downAfter: 3, upAfter: 3 }\n");
    y.append("policy: ").append(policy).append("\n");
    y.append(extraYaml);
    TestSecrets secrets = TestSecrets.write(dir);
    viewerToken = secrets.viewer();
    operatorToken = secrets.operator();
    adminToken = secrets.admin();
    breakGlassCodes = secrets.codes();
    y.append(secrets.yaml());
    // the controllers' key comes from the secrets' key file here, so only the master secret from the environment
    config = ConfigLoader.parse(y.toString(), Map.of("PHAROS_MASTER_SECRET", TestConfigs.TEST_MASTER_SECRET));
    dead = ConcurrentHashMap.newKeySet();
    silent = ConcurrentHashMap.newKeySet();
    List<Thread> starters = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    for (ControllerPeer p : config.controllers().peers()) {
      Thread t = new Thread(() -> {
        try {
          PharosController c = PharosController.start(config, new ControllerOptions(p.id(), dir),
              Clock.systemUTC());
          synchronized (controllers) {
            controllers.add(c);
          }
        } catch (Exception e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      t.start();
      starters.add(t);
    }
    for (Thread t : starters) {
      t.join();
    }
    if (!failures.isEmpty()) {
      close();
      throw failures.get(0);
    }
    controllers.sort(java.util.Comparator.comparing(c -> c.view().status().get("controller").asText()));
  }

  /** Starts one simulated agent per region, reporting every 100 ms. */
  void startAgents() {
    ClientConfig cc = new ClientConfig();
    cc.setClusterName(config.controllers().group());
    config.controllers().peers().forEach(p -> cc.getNetworkConfig().addAddress(p.hazelcast().toString()));
    client = HazelcastClient.newHazelcastClient(cc);
    agents = new ReportingAgents(config, client, dead, silent).start(100);
  }

  PharosController leader() {
    return controllers.stream().filter(c -> c.raft().isActingLeader()).findFirst().orElse(null);
  }

  PharosController byId(String id) {
    return controllers.stream().filter(c -> c.view().status().get("controller").asText().equals(id)).findFirst()
        .orElseThrow();
  }

  /** Closes controller {@code id} and starts it again from its storage (a process restart). */
  PharosController restart(String id) throws Exception {
    PharosController old = byId(id);
    old.close();
    controllers.remove(old);
    PharosController again = PharosController.start(config, new ControllerOptions(id, dir),
        Clock.systemUTC());
    controllers.add(again);
    return again;
  }

  /** Stops controller {@code id} for good (a crash, as far as the others can tell). */
  void kill(String id) {
    PharosController c = byId(id);
    controllers.remove(c);
    c.close();
  }

  /** Starts controller {@code id} again from its storage after {@link #kill}. */
  PharosController revive(String id) throws Exception {
    PharosController again = PharosController.start(config, new ControllerOptions(id, dir), Clock.systemUTC());
    controllers.add(again);
    return again;
  }

  /** POSTs {@code body} as JSON to controller {@code c}'s API with {@code token} (none when null). */
  static java.net.http.HttpResponse<String> post(PharosController c, String path, String body, String token)
      throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + c.apiPort() + path))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  HazelcastInstance client() {
    return client;
  }

  /** Writes a certificate of this cluster's CA for controller {@code id} at {@code host} (for controllers a test adds). */
  void issue(String id, String host) {
    ca.issue(id, host).write(tls, id);
  }

  @Override
  public void close() {
    if (agents != null) {
      agents.close();
    }
    if (client != null) {
      client.shutdown();
    }
    controllers.forEach(PharosController::close);
  }
}
