package io.pharos.dns.contract;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.embedded.InMemoryZoneStore;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The contract on the embedded provider (the zone in an in-memory store, as in one JVM). */
class EmbeddedContractTest extends DnsProviderContract {
  private InMemoryZoneStore store;

  @Override
  protected String providerName() {
    return "embedded";
  }

  @Override
  protected String zonePrefix() {
    return "e";
  }

  @Override
  protected DnsProvider newProvider(DnsConfig dns) {
    store = InMemoryZoneStore.fromConfig(dns);
    return new EmbeddedDnsProvider(dns, store, Clock.systemUTC());
  }

  /** The settled rule the embedded server answers by (its wire behaviour is EmbeddedDnsServerTest's). */
  @Override
  protected Set<String> served(DnsConfig dns, String name, String type) {
    RecordConfig rc = dns.record(name).orElseThrow();
    Map<String, Integer> w = store.current().weights().get(name);
    Set<String> out = new TreeSet<>();
    if (type.equals("CNAME")) {
      new TreeSet<>(rc.targets().keySet()).stream().filter(r -> w.getOrDefault(r, 0) > 0)
          .max(java.util.Comparator.comparingInt((String r) -> w.get(r)).thenComparing(java.util.Comparator.reverseOrder()))
          .ifPresent(r -> out.add(rc.targets().get(r).get(0)));
      return out;
    }
    rc.targets().forEach((region, targets) -> {
      if (w.getOrDefault(region, 0) > 0) {
        out.addAll(targets);
      }
    });
    return out;
  }
}
