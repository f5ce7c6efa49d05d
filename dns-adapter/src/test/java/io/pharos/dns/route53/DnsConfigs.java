package io.pharos.dns.route53;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.dns.testing.Route53Fixtures;
import java.net.URI;
import java.util.Optional;

/** Config variants for the bad-input tests. */
final class DnsConfigs {
  private DnsConfigs() {}

  /** The same records under another zone name, looked up by name at the endpoint. */
  static DnsConfig withZone(DnsConfig dns, String zone, URI endpoint) {
    return new DnsConfig("route53", zone, java.util.List.of(), new ProviderSettings(Optional.of(Route53Fixtures.fast()
        .withEndpoint(endpoint, null)), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
  }
}
