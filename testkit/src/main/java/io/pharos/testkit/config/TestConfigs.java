package io.pharos.testkit.config;

import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.ControllerKeyConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.security.Ed25519;
import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import io.pharos.core.wire.ModeRecordSigner;
import io.pharos.testkit.proc.Ports;
import java.security.KeyPair;
import java.util.Map;

/**
 * Configs for the tests of every module above core, written as YAML and parsed the way production
 * parses them, with a master secret that is clearly not a secret: controllers' configs hold it,
 * an agent's config holds its region's key derived from it ({@link #forAgent}). (Core's own tests keep their loader
 * fixture in core: testkit depends on core, so core's tests cannot use this class.)
 */
public final class TestConfigs {
  /** Test-only master secret, not a secret. */
  public static final String TEST_MASTER_SECRET = "test-only-master-secret-not-a-secret-0001";
  public static final MasterSecret MASTER = MasterSecret.of(TEST_MASTER_SECRET);
  /**
   * The controllers' Ed25519 pair of the test configs: generated once per JVM (test-only, never
   * written anywhere), so every test that starts a controller or an agent signs and verifies mode
   * records for real.
   */
  public static final KeyPair CONTROLLER_KEYS = Ed25519.generate();
  /**
   * The environment a config is parsed with: what controllers get, the test master secret and the
   * controllers' private key (an agent's config holds its region's key instead: {@link #forAgent}).
   */
  public static final Map<String, String> ENV = Map.of("PHAROS_MASTER_SECRET", TEST_MASTER_SECRET,
      ControllerKeyConfig.DEFAULT_KEY_ENV, Ed25519.pem(CONTROLLER_KEYS.getPrivate()));

  private TestConfigs() {}

  /** The {@code security} section that names {@link #CONTROLLER_KEYS}' public key (append it to a config). */
  public static String securityYaml() {
    return "security:\n  controllerPublicKey: " + Ed25519.base64(CONTROLLER_KEYS.getPublic()) + "\n";
  }

  /** Signs mode records as the test configs' controllers do. */
  public static ModeRecordSigner modeSigner() {
    return new ModeRecordSigner(CONTROLLER_KEYS.getPrivate(), CONTROLLER_KEYS.getPublic());
  }

  /** Parses {@code yaml} with {@link #ENV}; a bad config throws naming the field, as at start-up. */
  public static PharosConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, ENV);
  }

  /** Region {@code region}'s test key at generation 1. */
  public static RegionKey regionKey(String region) {
    return MASTER.regionKey(region, 1);
  }

  /** {@code config} as an agent of {@code region} has it: that region's key, no master secret. */
  public static PharosConfig forAgent(PharosConfig config, String region) {
    return new PharosConfig(config.environment(), config.regions(), config.dns(), config.controllers(),
        config.probes(), config.policy(), new io.pharos.core.config.SecurityConfig(config.security().masterSecretEnv(),
            config.security().regionKeyEnv(), config.security().previousKeyGrace(),
            config.security().agentStateExpiry(), null, regionKey(region)), config.controllerKeys(), config.api());
  }

  /**
   * Three regions {@code a}, {@code b}, {@code c} with one app endpoint each (nothing listens) and
   * one controller: the smallest valid config, for code that needs a config but starts nothing
   * (a {@code ControlState}, a journal).
   */
  public static PharosConfig threeRegions() {
    return threeRegions("pharos", 2);
  }

  /** As {@link #threeRegions()}, its one controller's Hazelcast member in {@code group} on {@code hzPort}. */
  public static PharosConfig threeRegions(String group, int hzPort) {
    return parse(threeRegionsYaml(group, hzPort) + securityYaml());
  }

  /** As {@link #threeRegions()} with more top-level sections ({@code policy:}, {@code webhooks:}...). */
  public static PharosConfig threeRegionsAnd(String moreYaml) {
    return parse(threeRegionsYaml("pharos", 2) + moreYaml + (moreYaml.endsWith("\n") ? "" : "\n") + securityYaml());
  }

  private static String threeRegionsYaml(String group, int hzPort) {
    return """
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
          - { name: c, endpoints: [ { id: app, url: "http://127.0.0.1:9/c" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"], c: ["10.0.0.3"] } } ]
        controllers:
          group: %s
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:%d", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        """.formatted(group, hzPort);
  }

  /**
   * Two regions for agent tests: {@code a} (write primary) with {@code app} (HTTP {@code /app},
   * expects "ok") and {@code db} (TCP), {@code b} with {@code app} (HTTP {@code /ok}). Three
   * controllers; only the first one's Hazelcast port ({@code hzPort}) may be up.
   */
  public static PharosConfig twoRegions(String group, int httpPort, int tcpPort, int hzPort, String probes,
      String policy) {
    return twoRegions(group, httpPort, tcpPort, hzPort, Ports.free(), probes, policy);
  }

  /** As above, with the second controller's Hazelcast port given too. */
  public static PharosConfig twoRegions(String group, int httpPort, int tcpPort, int hzPort, int hzPort2,
      String probes, String policy) {
    return parse("""
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
        """.formatted(httpPort, tcpPort, group, hzPort, hzPort2, Ports.free(), probes, policy) + securityYaml());
  }
}
