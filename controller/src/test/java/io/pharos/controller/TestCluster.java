package io.pharos.controller;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.PharosConfig;
import io.pharos.testkit.config.TestConfigs;
import io.pharos.testkit.proc.Ports;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Three real controllers in one JVM (each with its own Hazelcast member, Vert.x, Raft server and
 * DNS server) fed by report publishers that play one agent per region over a Hazelcast client —
 * the same path real agents use ({@link ReportingAgents}). A region in {@link #dead} fails every
 * probe of its endpoints.
 */
final class TestCluster implements AutoCloseable {
  static final String ADMIN_TOKEN = "test-only-admin-token";
  final PharosConfig config;
  final List<PharosController> controllers = new ArrayList<>();
  final Set<String> dead;
  final Set<String> silent;
  private final Path dir;
  private HazelcastInstance client;
  private ReportingAgents agents;

  TestCluster(Path dir) throws Exception {
    this.dir = dir;
    StringBuilder y = new StringBuilder("regions:\n");
    for (String r : List.of("a", "b", "c")) {
      y.append("  - { name: ").append(r).append(", endpoints: [ { id: app, url: \"http://127.0.0.1:9/").append(r)
          .append("\" } ] }\n");
    }
    y.append("dns:\n  zone: pharos.test\n  records:\n    - { name: app.pharos.test, ttl: 5, targets: { a: [\"10.0.0.1\"],"
        + " b: [\"10.0.0.2\"], c: [\"10.0.0.3\"] }, weights: { a: 50, b: 30, c: 20 } }\n");
    y.append("controllers:\n  peers:\n");
    for (String r : List.of("a", "b", "c")) {
      y.append("    - { id: c-").append(r).append(", region: ").append(r).append(", raft: \"127.0.0.1:")
          .append(Ports.free()).append("\", hazelcast: \"127.0.0.1:").append(Ports.free())
          .append("\", api: \"127.0.0.1:").append(Ports.free()).append("\", dns: \"127.0.0.1:").append(Ports.free())
          .append("\" }\n");
    }
    y.append("probes: { interval: 1s, downAfter: 3, upAfter: 3 }\n");
    y.append("policy: { startupGrace: 0s, cooldown: 1m }\n");
    y.append(TestConfigs.securityYaml());
    config = ConfigLoader.parse(y.toString(), TestConfigs.ENV);
    dead = ConcurrentHashMap.newKeySet();
    silent = ConcurrentHashMap.newKeySet();
    List<Thread> starters = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    for (ControllerPeer p : config.controllers().peers()) {
      Thread t = new Thread(() -> {
        try {
          PharosController c = PharosController.start(config, new ControllerOptions(p.id(), dir, ADMIN_TOKEN),
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
    PharosController again = PharosController.start(config, new ControllerOptions(id, dir, ADMIN_TOKEN),
        Clock.systemUTC());
    controllers.add(again);
    return again;
  }

  HazelcastInstance client() {
    return client;
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
