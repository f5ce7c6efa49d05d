package io.pharos.dns.contract;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.RecordConfig;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.testing.MotoServer;
import io.pharos.dns.testing.Route53Fixtures;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

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
        java.util.Optional.of(Route53Fixtures.fast().withEndpoint(moto.endpoint(), null)), java.util.Optional.empty(),
        ProviderSettings.Reconcile.DEFAULTS));
    return DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC())
        .withAwsCredentials(MotoServer.FAKE_CREDENTIALS));
  }

  /** Route 53 answers the targets of every weighted set with weight above 0 (over many queries). */
  @Override
  protected Set<String> served(DnsConfig dns, String name, String type) {
    Set<String> out = new TreeSet<>();
    for (ResourceRecordSet s : moto.recordSets(zoneId)) {
      if (s.name().equals(name + ".") && s.typeAsString().equals(type) && s.weight() != null && s.weight() > 0) {
        s.resourceRecords().forEach(r -> out.add(r.value().endsWith(".") ? r.value().substring(0,
            r.value().length() - 1) : r.value()));
      }
    }
    if (type.equals("CNAME") && out.size() > 1) {
      // a weighted CNAME answers one target at a time; the heaviest wins most answers
      RecordConfig rc = dns.record(name).orElseThrow();
      String heaviest = moto.recordSets(zoneId).stream().filter(s -> s.name().equals(name + ".") && s.weight() != null)
          .max(java.util.Comparator.comparingLong(ResourceRecordSet::weight)).orElseThrow().setIdentifier();
      return Set.of(rc.targets().get(heaviest).get(0));
    }
    return out;
  }
}
