package io.pharos.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.dns.embedded.InMemoryZoneStore;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsProvidersTest {
  private final DnsConfig dns = TestZones.pharosTest();

  @Test
  void embeddedIsPickedByName() {
    DnsProvider provider = DnsProviders.create(dns,
        DnsProviderContext.embedded(InMemoryZoneStore.fromConfig(dns), Clock.systemUTC()));

    assertThat(provider.name()).isEqualTo("embedded");
    assertThat(provider.health().healthy()).isTrue();
  }

  @Test
  void unknownProviderListsTheAvailableOnes() {
    DnsConfig route53 = new DnsConfig("route54", dns.zone(), dns.records());

    assertThatThrownBy(() -> DnsProviders.create(route53, DnsProviderContext.embedded(
        InMemoryZoneStore.fromConfig(dns), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dns.provider 'route54' is not available; use one of embedded");
  }

  @Test
  void embeddedWithoutAZoneStoreSaysWhatIsMissing() {
    assertThatThrownBy(() -> DnsProviders.create(dns, new DnsProviderContext(Optional.empty(), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pass its ZoneStore");
  }
}
