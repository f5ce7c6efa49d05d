package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.ProviderSettings.DriftPolicy;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The provider sections of {@code dns}: route53, rfc2136, reconcile, and alias targets. */
class DnsProviderConfigTest {
  private static final String PROVIDER = "  provider: embedded\n";

  private static PharosConfig with(String dnsLines) {
    return TestConfigs.threeRegionsWith(PROVIDER, dnsLines);
  }

  @Test
  void defaultsNeedNoProviderSection() {
    DnsConfig dns = TestConfigs.threeRegions().dns();

    assertThat(dns.settings().route53()).isEmpty();
    assertThat(dns.settings().reconcile().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(dns.settings().reconcile().drift()).isEqualTo(DriftPolicy.REPORT);
    assertThat(dns.settings().route53OrDefaults().requestsPerSecond()).isEqualTo(5);
  }

  @Test
  void route53SettingsAreRead() {
    DnsConfig dns = with("  provider: route53\n  route53: { hostedZoneId: /hostedzone/Z0123456789ABC, region: us-east-1,"
        + " endpoint: \"http://127.0.0.1:5000\", requestsPerSecond: 4, insyncDeadline: 90s, pollInterval: 2s,"
        + " maxAttempts: 6, backoffBase: 100ms, backoffMax: 3s, breakerFailures: 4, breakerOpenFor: 20s }\n"
        + "  reconcile: { interval: 45s, drift: repair }\n").dns();

    ProviderSettings.Route53 r = dns.settings().route53().orElseThrow();
    assertThat(dns.provider()).isEqualTo("route53");
    assertThat(r.hostedZoneId()).contains("Z0123456789ABC");
    assertThat(r.endpoint()).contains(URI.create("http://127.0.0.1:5000"));
    assertThat(r.requestsPerSecond()).isEqualTo(4);
    assertThat(r.insyncDeadline()).isEqualTo(Duration.ofSeconds(90));
    assertThat(r.maxAttempts()).isEqualTo(6);
    assertThat(r.breakerOpenFor()).isEqualTo(Duration.ofSeconds(20));
    assertThat(dns.settings().reconcile().drift()).isEqualTo(DriftPolicy.REPAIR);
  }

  @Test
  void badRoute53SettingsAreNamedByFieldPath() {
    assertThatThrownBy(() -> with("  provider: route53\n  route53: { hostedZoneId: not-a-zone, endpoint: ftp://x,"
        + " requestsPerSecond: 0, pollInterval: 2m, regoin: us-east-1 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.route53.hostedZoneId (line 15): 'not-a-zone' is not a hosted zone id")
        .hasMessageContaining("dns.route53.endpoint (line 15): 'ftp://x' is not an absolute http(s) URL")
        .hasMessageContaining("dns.route53.requestsPerSecond (line 15): must be between 1 and 100")
        .hasMessageContaining("dns.route53.pollInterval (line 15): must be shorter than insyncDeadline")
        .hasMessageContaining("dns.route53.regoin (line 15): unknown field (did you mean 'region'?)");
  }

  @Test
  void rfc2136NeedsItsSectionAndNamesTheKeyVariable() {
    assertThatThrownBy(() -> with("  provider: rfc2136\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.rfc2136 (line 13): is required for provider rfc2136");

    DnsConfig dns = with("  provider: rfc2136\n  rfc2136: { server: \"127.0.0.1:53\", tsigKeyName: pharos-update }\n")
        .dns();
    ProviderSettings.Rfc2136 r = dns.settings().rfc2136().orElseThrow();
    assertThat(r.server()).isEqualTo(new HostPort("127.0.0.1", 53));
    assertThat(r.tsigKeyEnv()).isEqualTo("PHAROS_TSIG_KEY");
    assertThat(r.tsigAlgorithm()).isEqualTo("hmac-sha256");
  }

  @Test
  void badRfc2136SettingsAreNamed() {
    assertThatThrownBy(() -> with("  provider: rfc2136\n  rfc2136: { server: nohost, tsigAlgorithm: hmac-md5,"
        + " tsigKeyEnv: \"bad name\" }\n"))
        .hasMessageContaining("dns.rfc2136.server (line 15): expected host:port")
        .hasMessageContaining("dns.rfc2136.tsigKeyName (line 15): is required")
        .hasMessageContaining("dns.rfc2136.tsigAlgorithm (line 15): 'hmac-md5' is not supported")
        .hasMessageContaining("dns.rfc2136.tsigKeyEnv (line 15): 'bad name' is not an environment variable name");
  }

  @Test
  void aliasTargetsAreARoute53FeatureAndAreValidated() {
    String record = "      targets: { a: [\"10.0.0.1\"], b: [\"10.0.0.2\"], c: [\"10.0.0.3\"] }\n";
    String alias = "      targets: { a: [\"10.0.0.1\"], b: [\"10.0.0.2\"] }\n"
        + "      aliases: { c: { dnsName: my-elb.us-east-1.elb.amazonaws.com, hostedZoneId: Z35SXDOTRQ7X7K,"
        + " evaluateTargetHealth: true } }\n";
    PharosConfig ok = ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace(PROVIDER, "  provider: route53\n")
        .replace(record, alias), TestConfigs.ENV);

    RecordConfig rc = ok.dns().records().get(0);
    assertThat(rc.aliases().get("c").dnsName()).isEqualTo("my-elb.us-east-1.elb.amazonaws.com");
    assertThat(rc.aliases().get("c").evaluateTargetHealth()).isTrue();
    assertThat(rc.regions()).containsExactly("a", "b", "c");
    assertThat(rc.weights()).containsEntry("c", 20);

    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace(record, alias),
        TestConfigs.ENV)).hasMessageContaining("dns.records[0].aliases (line 21): alias targets are a Route 53 feature");
    String bad = "      targets: { a: [\"10.0.0.1\"], b: [\"10.0.0.2\"], c: [\"10.0.0.3\"] }\n"
        + "      aliases: { c: { dnsName: \"bad name\", hostedZoneId: lower } }\n";
    assertThatThrownBy(() -> ConfigLoader.parse(TestConfigs.threeRegionsYaml().replace(PROVIDER,
        "  provider: route53\n").replace(record, bad), TestConfigs.ENV))
        .hasMessageContaining("dns.records[0].aliases.c.dnsName (line 21): 'bad name' is not a valid DNS name")
        .hasMessageContaining("dns.records[0].aliases.c.hostedZoneId (line 21): 'lower' is not a hosted zone id");
  }

  @Test
  void aMalformedRecordNamesTheFieldToFix() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith("b: [\"10.0.0.2\"]", "b: [\"10.0.0.300\"]"))
        .hasMessageContaining("dns.records[0].targets (line 20): '10.0.0.300' under b is not an IPv4 address");
    assertThatThrownBy(() -> with("  provider: powerdns\n"))
        .hasMessageContaining("dns.provider (line 14): 'powerdns' is not available; use one of");
    assertThatThrownBy(() -> with(PROVIDER + "  reconcile: { drift: fix }\n"))
        .hasMessageContaining("dns.reconcile.drift (line 15): 'fix' is not one of report, repair");
  }
}
