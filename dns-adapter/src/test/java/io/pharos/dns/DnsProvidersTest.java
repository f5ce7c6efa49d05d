package io.pharos.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.ProviderSettings;
import io.pharos.dns.embedded.InMemoryZoneStore;
import io.pharos.dns.rfc2136.Rfc2136Provider;
import io.pharos.dns.route53.Route53Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsProvidersTest {
  private final DnsConfig dns = TestZones.pharosTest();

  @Test
  void createsTheEmbeddedProviderFromTheContext() {
    DnsProvider provider = DnsProviders.create(dns,
        DnsProviderContext.embedded(InMemoryZoneStore.fromConfig(dns), Clock.systemUTC()));

    assertThat(provider.name()).isEqualTo("embedded");
    assertThat(provider.health().healthy()).isTrue();
  }

  @Test
  void createsRoute53AndRfc2136WithoutAnyIo() {
    DnsConfig r53 = dns.withProvider("route53", ProviderSettings.defaults());
    try (DnsProvider p = DnsProviders.create(r53, DnsProviderContext.remote(Clock.systemUTC()))) {
      assertThat(p).isInstanceOf(Route53Provider.class);
      assertThat(p.health().detail()).contains("not checked yet");
    }
    DnsConfig rfc = dns.withProvider("rfc2136", new ProviderSettings(Optional.empty(), Optional.of(
        new ProviderSettings.Rfc2136(new HostPort("127.0.0.1", 53), "k", "TEST_TSIG", "hmac-sha256",
            Duration.ofSeconds(1), 60)), ProviderSettings.Reconcile.DEFAULTS));
    try (DnsProvider p = DnsProviders.create(rfc, DnsProviderContext.remote(Clock.systemUTC())
        .withEnv(Map.of("TEST_TSIG", java.util.Base64.getEncoder().encodeToString(new byte[32]))))) {
      assertThat(p).isInstanceOf(Rfc2136Provider.class);
    }
    assertThat(DnsProviders.liveDeadline(r53)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void unknownProviderListsTheAvailableOnes() {
    DnsConfig route54 = new DnsConfig("route54", dns.zone(), dns.records());

    assertThatThrownBy(() -> DnsProviders.create(route54, DnsProviderContext.embedded(
        InMemoryZoneStore.fromConfig(dns), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dns.provider 'route54' is not available; use one of embedded, rfc2136, route53");
  }

  @Test
  void embeddedNeedsAZoneStore() {
    assertThatThrownBy(() -> DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC())))
        .hasMessageContaining("ZoneStore");
  }

  @Test
  void theContextNeverPrintsTheEnvironment() {
    DnsProviderContext c = DnsProviderContext.remote(Clock.systemUTC()).withEnv(Map.of("PHAROS_TSIG_KEY", "c2VjcmV0"));

    assertThat(c.toString()).doesNotContain("c2VjcmV0").contains("1 variables");
  }
}
