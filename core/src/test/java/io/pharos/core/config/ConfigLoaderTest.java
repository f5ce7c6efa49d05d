package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void loadsTheExampleWithDefaults() {
    PharosConfig c = TestConfigs.threeRegions();
    assertThat(c.regionNames()).containsExactly("a", "b", "c");
    assertThat(c.region("b").orElseThrow().endpoints()).hasSize(2);
    EndpointConfig db = c.region("b").orElseThrow().endpoint("db").orElseThrow();
    assertThat(db.kind()).isEqualTo(EndpointConfig.Kind.TCP);
    assertThat(db.address()).isEqualTo(new HostPort("127.0.0.1", 15432));
    assertThat(db.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(db.latencyBudget()).isEqualTo(Duration.ofSeconds(1));
    EndpointConfig app = c.region("a").orElseThrow().endpoint("app").orElseThrow();
    assertThat(app.expectBody()).isEqualTo("ok");
    assertThat(c.dns().records().get(0).weights()).containsEntry("a", 50).containsEntry("c", 20);
    assertThat(c.controllers().peers()).hasSize(3);
    assertThat(c.controllers().majority()).isEqualTo(2);
    assertThat(c.probes().silenceAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.probes().agentExpiry()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.probes().tick()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.policy().startupGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.security().masterSecret()).isNotNull();
    assertThat(c.security().regionKey()).isNull();
    assertThat(c.security().previousKeyGrace()).isEqualTo(Duration.ofHours(24));
    assertThat(c.security().agentStateExpiry()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void namesTheFieldOfABadUrl() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("http://127.0.0.1:18082/healthz", "127.0.0.1/healthz"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("regions[1].endpoints[0].url (line 8): not an absolute http(s) URL");
  }

  @Test
  void suggestsTheFieldMeantByATypo() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("endpoints:\n      - { id: app, url: \"http://127.0.0.1:18083",
        "endpoint:\n      - { id: app, url: \"http://127.0.0.1:18083"))
        .hasMessageContaining("regions[2].endpoint (line 11): unknown field (did you mean 'endpoints'?)")
        .hasMessageContaining("regions[2].endpoints (line 10): is required");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml = TestConfigs.threeRegionsYaml()
        .replace("downAfter: 3", "downAfter: 0")
        .replace("cooldown: 5m", "cooldown: soon")
        .replace("c: [\"10.0.0.3\"]", "d: [\"10.0.0.3\"]");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(yaml, TestConfigs.ENV));
    assertThat(e.problems()).hasSize(4);
    assertThat(e.getMessage())
        .contains("probes.downAfter (line 27): must be between 1 and 100, was 0")
        .contains("policy.cooldown (line 28): 'soon' is not a duration")
        .contains("dns.records[0].targets (line 20): 'd' is not a configured region")
        .contains("dns.records[0].weights (line 21): 'c' has a weight but no targets");
  }

  @Test
  void secretsAreRequiredByRoleAndNeverPrinted() {
    // an operator's cli reads the config without any secret
    PharosConfig none = ConfigLoader.parse(TestConfigs.threeRegionsYaml(), Map.of());
    assertThatThrownBy(() -> none.security().requireMasterSecret()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("security.masterSecretEnv: environment variable PHAROS_MASTER_SECRET is not set");
    assertThatThrownBy(() -> none.security().requireRegionKey("a")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("security.regionKeyEnv: environment variable PHAROS_REGION_KEY is not set")
        .hasMessageContaining("pharos keys derive --region a");
    String shortSecret = "short-test-only-secret";
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml(),
        Map.of("PHAROS_MASTER_SECRET", shortSecret)))
        .hasMessageContaining("security.masterSecretEnv: environment variable PHAROS_MASTER_SECRET: the master secret"
            + " is too short (22 bytes; at least 32")
        .message().doesNotContain(shortSecret);
    String notAKey = "test-only-not-a-region-key";
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml(), Map.of("PHAROS_REGION_KEY", notAKey)))
        .hasMessageContaining("security.regionKeyEnv: environment variable PHAROS_REGION_KEY: not a region key")
        .message().doesNotContain(notAKey);
    String foreign = io.pharos.core.security.MasterSecret.of(TestConfigs.TEST_MASTER_SECRET).regionKey("zz", 1)
        .format();
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml(), Map.of("PHAROS_REGION_KEY", foreign)))
        .hasMessageContaining("holds a key of region 'zz', which is not a configured region")
        .message().doesNotContain(foreign);
  }

  @Test
  void anAgentGetsItsOwnRegionsKeyOnly() {
    String keyOfB = TestConfigs.regionKey("b").format();
    PharosConfig c = ConfigLoader.parse(TestConfigs.threeRegionsYaml(), Map.of("PHAROS_REGION_KEY", keyOfB));
    assertThat(c.security().requireRegionKey("b")).isEqualTo(TestConfigs.regionKey("b"));
    assertThatThrownBy(() -> c.security().requireRegionKey("a"))
        .hasMessageContaining("the key in PHAROS_REGION_KEY is region 'b''s, but this agent runs in region 'a'")
        .message().doesNotContain(keyOfB);
    assertThat(c.toString()).doesNotContain(keyOfB.substring(keyOfB.lastIndexOf(':') + 1))
        .doesNotContain(TestConfigs.TEST_MASTER_SECRET);
  }

  @Test
  void theRetiredSharedKeyFieldsSayWhatReplacedThem() {
    String yaml = TestConfigs.threeRegionsYaml() + "security: { hmacKeyEnv: PHAROS_HMAC_KEY }\n";
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, TestConfigs.ENV))
        .hasMessageContaining("security.hmacKeyEnv")
        .hasMessageContaining("replaced by one key per region")
        .hasMessageContaining("PHAROS_MASTER_SECRET");
    PharosConfig custom = ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        + "security: { masterSecretEnv: MY_SECRET, previousKeyGrace: 0s, agentStateExpiry: 10m }\n",
        Map.of("MY_SECRET", TestConfigs.TEST_MASTER_SECRET));
    assertThat(custom.security().masterSecret()).isNotNull();
    assertThat(custom.security().previousKeyGrace()).isZero();
    assertThat(custom.security().agentStateExpiry()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void refusesAllZeroWeightsAndAnEvenQuorum() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("weights: { a: 50, b: 30, c: 20 }",
        "weights: { a: 0, b: 0, c: 0 }"))
        .hasMessageContaining("dns.records[0].weights (line 21): every weight is 0");
    String yaml = TestConfigs.threeRegionsYaml();
    String twoPeers = yaml.substring(0, yaml.indexOf("    - { id: c3")) + yaml.substring(yaml.indexOf("probes:"));
    assertThatThrownBy(() -> ConfigLoader.parse(twoPeers, TestConfigs.ENV))
        .hasMessageContaining("controllers.peers (line 23): 2 controllers cannot outvote a split");
  }

  @Test
  void refusesDuplicatesAndReusedPorts() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("- name: c", "- name: b"))
        .hasMessageContaining("regions[2].name (line 10): region 'b' is defined twice");
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("raft: \"127.0.0.1:17602\"", "raft: \"127.0.0.1:17601\""))
        .hasMessageContaining("controllers.peers[1].raft (line 25): 127.0.0.1:17601 is already used by controllers.peers[0].raft (line 24)");
  }

  @Test
  void everyControllersDnsServerMayBindTheWildcardInItsOwnPod() {
    PharosConfig c = TestConfigs.threeRegionsYamlWith(
        "dns: \"127.0.0.1:15301\"", "dns: \"0.0.0.0:5353\", dnsAdvertise: \"192.0.2.1:53\"",
        "dns: \"127.0.0.1:15302\"", "dns: \"0.0.0.0:5353\", dnsAdvertise: \"192.0.2.2:53\"",
        "dns: \"127.0.0.1:15303\"", "dns: \"0.0.0.0:5353\", dnsAdvertise: \"192.0.2.3:53\"");
    assertThat(c.controllers().peers()).extracting(p -> p.dns().toString()).containsOnly("0.0.0.0:5353");
  }

  @Test
  void refusesTargetsOfTheWrongKind() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("a: [\"10.0.0.1\"]", "a: [\"not-an-ip\"]"))
        .hasMessageContaining("dns.records[0].targets (line 20): 'not-an-ip' under a is not an IPv4 address");
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("name: app.pharos.test", "name: app.example.com"))
        .hasMessageContaining("dns.records[0].name (line 17): 'app.example.com' is not inside the zone 'pharos.test'");
  }

  @Test
  void pointsAtTheLineOfBrokenYaml() {
    assertThatThrownBy(() -> ConfigLoader.parse("regions:\n  - name: a\n   endpoints: [", TestConfigs.ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 3");
  }

  @Test
  void refusesAnEmptyFileAndANonMapping() {
    assertThatThrownBy(() -> ConfigLoader.parse("", TestConfigs.ENV)).hasMessageContaining("empty");
    assertThatThrownBy(() -> ConfigLoader.parse("- a\n- b\n", TestConfigs.ENV))
        .hasMessageContaining("expected a mapping");
  }

  @Test
  void aHugeDurationIsAFieldErrorNotAnOverflow() {
    String yaml = TestConfigs.threeRegionsYaml()
        .replace("cooldown: 5m", "cooldown: 999999999999d")
        .replace("upAfter: 3 }", "upAfter: 3, heartbeat: 99999999999999999999999s }");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(yaml, TestConfigs.ENV));
    assertThat(e.problems()).containsExactly(
        "probes.heartbeat (line 27): '99999999999999999999999s' is too long; the longest duration accepted is 36500d"
            + " (100 years)",
        "policy.cooldown (line 28): '999999999999d' is too long; the longest duration accepted is 36500d (100 years)");
  }

  @Test
  void anAgentExpiryShorterThanTwiceTheSilenceIsRefused() {
    String yaml = TestConfigs.threeRegionsYaml().replace("upAfter: 3 }", "upAfter: 3, agentExpiry: 5s }");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(yaml, TestConfigs.ENV));
    assertThat(e.problems()).singleElement().asString().startsWith("probes.agentExpiry")
        .contains("must be at least twice probes.silenceAfter (3s)");
    assertThat(ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace("upAfter: 3 }", "upAfter: 3, agentExpiry: 2m }"),
        TestConfigs.ENV).probes().agentExpiry()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aProbeTickOverASecondIsRefused() {
    String yaml = TestConfigs.threeRegionsYaml().replace("upAfter: 3 }", "upAfter: 3, tick: 2s }");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(yaml, TestConfigs.ENV));
    assertThat(e.problems()).singleElement().asString().startsWith("probes.tick")
        .contains("must be at most 1s").contains("was 2s");
    assertThat(ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace("upAfter: 3 }", "upAfter: 3, tick: 1ms }"),
        TestConfigs.ENV).probes().tickFor(1000)).as("1ms: no grid").isEqualTo(1);
  }

  @Test
  void problemsInBlockStyleNameTheLineOfTheirKey() {
    String yaml = TestConfigs.threeRegionsYaml().replace(
        "probes: { interval: 1s, timeout: 500ms, confirmAfter: 250ms, downAfter: 3, upAfter: 3 }",
        "probes:\n  interval: 1s\n  timeout: 500ms\n  downAfter: \"three\"\n  failingErrorRate: 0.5\n");
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigLoader.parse(yaml, TestConfigs.ENV));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "probes.downAfter (line 30): expected a whole number, found 'three'",
        "probes.failingErrorRate (line 31): unknown field; expected one of: agentExpiry, confirmAfter, downAfter,"
            + " heartbeat, interval, jitter, maxReportAge, silenceAfter, tick, timeout, upAfter");
  }

  @Test
  void anchorsAndMergeKeysCanShareEndpointSettings() {
    PharosConfig c = ConfigLoader.parse(TestConfigs.threeRegionsYaml()
        .replace("- { id: app, url: \"http://127.0.0.1:18082/healthz\" }",
            "- &app { id: app, url: \"http://127.0.0.1:18082/healthz\", interval: 2s, timeout: 1s }")
        .replace("{ id: app, url: \"http://127.0.0.1:18083/healthz\" }",
            "{ <<: *app, url: \"http://127.0.0.1:18083/healthz\" }"), TestConfigs.ENV);

    EndpointConfig app = c.region("c").orElseThrow().endpoint("app").orElseThrow();
    assertThat(app.url().getPort()).isEqualTo(18083);
    assertThat(app.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(app.timeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aSecondDocumentIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml() + "---\nenvironment: prod\n",
        TestConfigs.ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 29, column 1: not valid YAML: expected a single document in the stream");
  }

  @Test
  void aZeroErrorRateIsRefused() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("recoverAfter: 30s", "recoverAfter: 30s, failingErrorRate: 0%"))
        .hasMessageContaining("policy.failingErrorRate (line 28): must be greater than 0 and at most 1, was 0");
  }

  @Test
  void durationsRoundTrip() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("is not a duration");
    assertThat(Durations.parse("36500d")).isEqualTo(Durations.MAX);
    assertThatThrownBy(() -> Durations.parse("36501d")).hasMessageContaining("is too long");
    assertThatThrownBy(() -> Durations.parse("9223372036854775807d")).hasMessageContaining("is too long");
    assertThatThrownBy(() -> Durations.parsePositive("0s")).hasMessage("must be greater than 0");
  }
}
