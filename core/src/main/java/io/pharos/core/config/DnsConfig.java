package io.pharos.core.config;

import java.util.List;
import java.util.Optional;

/**
 * The DNS zone Pharos steers and the provider that serves it.
 *
 * @param provider embedded, route53 or rfc2136
 * @param zone zone apex, lower case, without trailing dot
 * @param records the steered records
 */
public record DnsConfig(String provider, String zone, List<RecordConfig> records) {
  public DnsConfig {
    records = List.copyOf(records);
  }

  public Optional<RecordConfig> record(String name) {
    return records.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
