package io.pharos.dns.contract;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.RecordConfig;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.dns.MotoServer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;

/** The contract on Route 53, against moto_server on a free loopback port. */
class Route53ContractTest extends DnsProviderContract {
  private static MotoServer moto;
  private String zoneId;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.shared();
  }


  @Override
  protected String providerName() {
    return "route53";
  }

  @Override
  protected String zonePrefix() {
    return "r";
  }

  @Override
  protected DnsProvider newProvider(DnsConfig base) {
    zoneId = moto.createZone(base.zone());
    // looked up by name (no hostedZoneId), as a minimal config does
    dns = base.withProvider("route53", new ProviderSettings(
        java.util.Optional.of(Route53Fixtures.fast().withEndpoint(moto.url(), null)), java.util.Optional.empty(),
        ProviderSettings.Reconcile.DEFAULTS));
    return DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC())
        .withAwsCredentials(Route53Fixtures.FAKE_CREDENTIALS));
  }

  /** Route 53 answers the targets of every weighted set with weight above 0 (over many queries). */
  @Override
  protected Set<String> served(DnsConfig dns, String name, String type) throws Exception {
    Set<String> out = new TreeSet<>();
    List<MotoServer.RecordSet> sets = moto.recordSets(zoneId);
    for (MotoServer.RecordSet s : sets) {
      if (s.name().equals(name) && s.type().equals(type) && s.weight() != null && s.weight() > 0) {
        s.values().forEach(v -> out.add(v.endsWith(".") ? v.substring(0, v.length() - 1) : v));
      }
    }
    if (type.equals("CNAME") && out.size() > 1) {
      // a weighted CNAME answers one target at a time; the heaviest wins most answers
      RecordConfig rc = dns.record(name).orElseThrow();
      String heaviest = sets.stream().filter(s -> s.name().equals(name) && s.weight() != null)
          .max(java.util.Comparator.comparingLong(MotoServer.RecordSet::weight)).orElseThrow().setIdentifier();
      return Set.of(rc.targets().get(heaviest).get(0));
    }
    return out;
  }
}
