package io.pharos.core.config;

import java.util.Map;

/** A small valid config for controller tests that need a ControlState. */
public final class TestConfigsAccess {
  private TestConfigsAccess() {}

  public static PharosConfig threeRegions() {
    return ConfigLoader.parse("""
        regions:
          - { name: a, endpoints: [ { id: app, url: "http://127.0.0.1:9/a" } ] }
          - { name: b, endpoints: [ { id: app, url: "http://127.0.0.1:9/b" } ] }
          - { name: c, endpoints: [ { id: app, url: "http://127.0.0.1:9/c" } ] }
        dns:
          zone: pharos.test
          records: [ { name: app.pharos.test, targets: { a: ["10.0.0.1"], b: ["10.0.0.2"], c: ["10.0.0.3"] } } ]
        controllers:
          peers:
            - { id: c1, region: a, raft: "127.0.0.1:1", hazelcast: "127.0.0.1:2", api: "127.0.0.1:3", dns: "127.0.0.1:4" }
        """, Map.of("PHAROS_HMAC_KEY", "test-only-key-not-a-secret-0001"));
  }
}
