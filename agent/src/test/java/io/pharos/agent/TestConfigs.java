package io.pharos.agent;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** Test configs as YAML text, parsed the way production parses them. */
public final class TestConfigs {
  public static final Map<String, String> ENV = Map.of("PHAROS_HMAC_KEY", "test-only-key-not-a-secret-0001");

  private TestConfigs() {}

  /**
   * Two regions: {@code a} (write primary) with {@code app} (HTTP {@code /app}, expects "ok") and
   * {@code db} (TCP), {@code b} with {@code app} (HTTP {@code /ok}). Three controllers; only the
   * first one's Hazelcast port ({@code hzPort}) may be up.
   */
  public static PharosConfig twoRegions(String group, int httpPort, int tcpPort, int hzPort, String probes,
      String policy) {
    return twoRegions(group, httpPort, tcpPort, hzPort, freePort(), probes, policy);
  }

  /** As above, with the second controller's Hazelcast port given too. */
  public static PharosConfig twoRegions(String group, int httpPort, int tcpPort, int hzPort, int hzPort2,
      String probes, String policy) {
    String yaml = """
        environment: test
        regions:
          - name: a
            endpoints:
              - { id: app, url: "http://127.0.0.1:%1$d/app", expect: { status: 200, body: ok } }
              - { id: db, tcp: "127.0.0.1:%2$d" }
          - name: b
            endpoints:
              - { id: app, url: "http://127.0.0.1:%1$d/ok" }
        dns:
          provider: embedded
          zone: pharos.test
          records:
            - name: app.pharos.test
              type: A
              ttl: 5
              targets: { a: ["10.0.0.1"], b: ["10.0.0.2"] }
              weights: { a: 50, b: 50 }
        controllers:
          group: %3$s
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:17601", hazelcast: "127.0.0.1:%4$d", api: "127.0.0.1:18601", dns: "127.0.0.1:15301" }
            - { id: c2, region: b, raft: "127.0.0.1:17602", hazelcast: "127.0.0.1:%5$d", api: "127.0.0.1:18602", dns: "127.0.0.1:15302" }
            - { id: c3, region: b, raft: "127.0.0.1:17603", hazelcast: "127.0.0.1:%6$d", api: "127.0.0.1:18603", dns: "127.0.0.1:15303" }
        probes: %7$s
        policy: %8$s
        """.formatted(httpPort, tcpPort, group, hzPort, hzPort2, freePort(), probes, policy);
    return ConfigLoader.parse(yaml, ENV);
  }

  /** A port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
