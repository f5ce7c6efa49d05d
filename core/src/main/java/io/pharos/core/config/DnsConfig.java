package io.pharos.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DNS zone Pharos steers and the provider that serves it.
 *
 * @param provider embedded, route53 or rfc2136
 * @param zone zone apex, lower case, without trailing dot
 * @param records the steered records
 * @param settings provider sections and reconciliation
 * @param server the controllers' own DNS servers: rate limiting and TCP limits ({@code dns.server})
 */
public record DnsConfig(String provider, String zone, List<RecordConfig> records, ProviderSettings settings,
    DnsServerConfig server) {
  public DnsConfig {
    records = List.copyOf(records);
    Objects.requireNonNull(settings, "settings");
    server = server == null ? DnsServerConfig.DEFAULTS : server;
  }

  /** Default DNS server limits. */
  public DnsConfig(String provider, String zone, List<RecordConfig> records, ProviderSettings settings) {
    this(provider, zone, records, settings, DnsServerConfig.DEFAULTS);
  }

  /** Default provider settings and reconciliation. */
  public DnsConfig(String provider, String zone, List<RecordConfig> records) {
    this(provider, zone, records, ProviderSettings.defaults());
  }

  public Optional<RecordConfig> record(String name) {
    return records.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The same zone served by another provider with other settings (tests, dry runs). */
  public DnsConfig withProvider(String otherProvider, ProviderSettings otherSettings) {
    return new DnsConfig(otherProvider, zone, records, otherSettings, server);
  }

  /** The same zone with other DNS server limits (tests). */
  public DnsConfig withServer(DnsServerConfig otherServer) {
    return new DnsConfig(provider, zone, records, settings, otherServer);
  }
}
