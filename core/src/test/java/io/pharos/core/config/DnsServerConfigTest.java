package io.pharos.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dns.server} (rate limiting, TCP limits) and a controller's bind vs advertised DNS address. */
class DnsServerConfigTest {
  private static final String PROVIDER = "  provider: embedded\n";
  private static final String C1 = "dns: \"127.0.0.1:15301\" }";

  @Test
  void defaultsLimitEveryClientAndExemptNone() {
    DnsServerConfig s = TestConfigs.threeRegions().dns().server();
    assertThat(s).isEqualTo(DnsServerConfig.DEFAULTS);
    assertThat(s.rateLimit().responsesPerSecond()).isEqualTo(50);
    assertThat(s.rateLimit().exempt()).isEmpty();
    assertThat(s.tcp().maxConnections()).isEqualTo(256);
    assertThat(s.tcp().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theServerSectionIsRead() {
    DnsServerConfig s = TestConfigs.threeRegionsWith(PROVIDER, PROVIDER + "  server:\n    rateLimit: { responsesPerSecond:"
        + " 500, slip: 0, ipv4PrefixLength: 32, exempt: [\"10.0.0.0/8\", \"192.0.2.7\", \"fd00::/8\"] }\n"
        + "    tcp: { maxConnections: 64, idleTimeout: 3s }\n").dns().server();
    assertThat(s.rateLimit().responsesPerSecond()).isEqualTo(500);
    assertThat(s.rateLimit().burst()).as("at least a second's worth").isEqualTo(500);
    assertThat(s.rateLimit().slip()).isZero();
    assertThat(s.rateLimit().ipv4PrefixLength()).isEqualTo(32);
    assertThat(s.rateLimit().exempt()).containsExactly("10.0.0.0/8", "192.0.2.7/32", "fd00:0:0:0:0:0:0:0/8");
    assertThat(s.tcp()).isEqualTo(new DnsServerConfig.Tcp(64, Duration.ofSeconds(3)));
  }

  @Test
  void badServerSettingsAreNamedByFieldPath() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(PROVIDER, PROVIDER + "  server:\n    rateLimit: {"
        + " responsesPerSecond: -1, exempt: [\"10.0.0.0/33\", \"resolver.example\"], slipp: 2 }\n"
        + "    tcp: { maxConnections: 0, idleTimeout: 1h }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dns.server.rateLimit.responsesPerSecond (line 16): must be between 0 and 1000000")
        .hasMessageContaining("dns.server.rateLimit.exempt (line 16): '10.0.0.0/33': the prefix length must be 0..32")
        .hasMessageContaining("'resolver.example' is not a subnet in CIDR form")
        .hasMessageContaining("dns.server.rateLimit.slipp (line 16): unknown field (did you mean 'slip'?)")
        .hasMessageContaining("dns.server.tcp.maxConnections (line 17): must be between 1 and 100000")
        .hasMessageContaining("dns.server.tcp.idleTimeout (line 17): must be between 100ms and 10m");
  }

  @Test
  void aPeerBindingEveryAddressNamesTheAddressItIsReachedAt() {
    PharosConfig c = TestConfigs.threeRegionsWith(C1, "dns: \"0.0.0.0:15301\", dnsAdvertise: \"203.0.113.7\" }");
    ControllerPeer p = c.controllers().peer("c1").orElseThrow();
    assertThat(p.dns()).isEqualTo(new HostPort("0.0.0.0", 15301));
    assertThat(p.dnsAdvertise()).isEqualTo(new HostPort("203.0.113.7", 15301));
    assertThat(TestConfigs.threeRegionsWith(C1, "dns: \"0.0.0.0:15301\", dnsAdvertise: \"203.0.113.7:53\" }")
        .controllers().peer("c1").orElseThrow().dnsAdvertise()).isEqualTo(new HostPort("203.0.113.7", 53));
    assertThat(TestConfigs.threeRegions().controllers().peer("c2").orElseThrow().dnsAdvertise())
        .as("a concrete IPv4 bind address is its own advertised one").isEqualTo(new HostPort("127.0.0.1", 15302));
  }

  @Test
  void aWildcardOrAHostNameWithoutAnAdvertisedAddressIsRefusedAtStartUp() {
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(C1, "dns: \"0.0.0.0:15301\" }"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("controllers.peers[0].dns (line 24): 0.0.0.0:15301 binds every address: set dnsAdvertise");
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(C1, "dns: \"ns1.example.net:15301\" }"))
        .hasMessageContaining("controllers.peers[0].dns (line 24): 'ns1.example.net' is not an IPv4 address");
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(C1, "dns: \"0.0.0.0:15301\", dnsAdvertise: \"0.0.0.0\" }"))
        .hasMessageContaining("controllers.peers[0].dnsAdvertise (line 24): '0.0.0.0' must be the IPv4 address");
    assertThatThrownBy(() -> TestConfigs.threeRegionsWith(C1, "dns: \"0.0.0.0:15301\", dnsAdvertise: ns1.example }"))
        .hasMessageContaining("controllers.peers[0].dnsAdvertise (line 24): 'ns1.example' must be the IPv4 address");
  }

  @Test
  void cidrsMatchTheirSubnetOnly() {
    Cidr net = Cidr.parse("10.1.2.0/24");
    assertThat(net.contains(new byte[] {10, 1, 2, (byte) 200})).isTrue();
    assertThat(net.contains(new byte[] {10, 1, 3, 1})).isFalse();
    assertThat(Cidr.parse("fd00::/8").contains(new byte[16])).isFalse();
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(List.of(Cidr.parse("0.0.0.0/0").toString())).containsExactly("0.0.0.0/0");
  }
}
