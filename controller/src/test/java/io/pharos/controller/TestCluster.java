package io.pharos.controller;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.pharos.controller.cluster.ClusterNames;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerKeyConfig;
import io.pharos.core.config.ControllerPeer;
import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.FailureKind;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.wire.ReportSigner;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three real controllers in one JVM (each with its own Hazelcast member, Vert.x, Raft server and
 * DNS server) fed by report publishers that play one agent per region over a Hazelcast client —
 * the same path real agents use. A region in {@link #dead} fails every probe of its endpoints.
 */
final class TestCluster implements AutoCloseable {
  static final String KEY = "test-only-key-not-a-secret-0001";
  static final String ADMIN_TOKEN = "test-only-admin-token";
  final PharosConfig config;
  final List<PharosController> controllers = new ArrayList<>();
  final Set<String> dead = ConcurrentHashMap.newKeySet();
  final Set<String> silent = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);
  private HazelcastInstance client;

  private final Path tls;
  private final TestPki.Authority ca;

  TestCluster(Path dir) throws Exception {
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
    y.append("policy: { startupGrace: 0s, cooldown: 1m }\n");
    y.append(TestConfigs.securityYaml());
    config = ConfigLoader.parse(y.toString(), Map.of("PHAROS_HMAC_KEY", KEY, ControllerKeyConfig.DEFAULT_KEY_ENV,
        TestConfigs.ENV.get(ControllerKeyConfig.DEFAULT_KEY_ENV)));
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
    ReportSigner signer = new ReportSigner(config.security().key(), null);
    var topic = client.<byte[]>getTopic(ClusterNames.REPORTS);
    agents.scheduleAtFixedRate(() -> {
      long now = System.currentTimeMillis();
      for (RegionConfig vantage : config.regions()) {
        if (silent.contains(vantage.name())) {
          continue;
        }
        List<Observation> obs = new ArrayList<>();
        for (RegionConfig target : config.regions()) {
          for (EndpointConfig e : target.endpoints()) {
            obs.add(dead.contains(target.name())
                ? Observation.down(target.name(), e.id(), 1_000, 0, FailureKind.REFUSED, now)
                : Observation.up(target.name(), e.id(), 1_000, 200, now));
          }
        }
        try {
          topic.publish(signer.sign(new Report(Report.VERSION, "agent-" + vantage.name(), vantage.name(),
              seq.incrementAndGet(), now, obs)));
        } catch (RuntimeException e) {
          // the member the client used is gone (a controller closed by the test): the next round
          // goes through another one. Thrown out of the task, it would cancel every later round.
        }
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  PharosController leader() {
    return controllers.stream().filter(c -> c.raft().isActingLeader()).findFirst().orElse(null);
  }

  PharosController byId(String id) {
    return controllers.stream().filter(c -> c.view().status().get("controller").asText().equals(id)).findFirst()
        .orElseThrow();
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
    agents.shutdownNow();
    if (client != null) {
      client.shutdown();
    }
    controllers.forEach(PharosController::close);
  }
}
