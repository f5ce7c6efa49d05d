package io.pharos.dns.route53;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.contract.DnsProviderContract;
import io.pharos.dns.testing.FaultProxy;
import io.pharos.dns.testing.MotoServer;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One moto_server per test class, a fault proxy per test, a fresh hosted zone per provider. */
final class Route53Harness implements AutoCloseable {
  private static final AtomicInteger ZONES = new AtomicInteger();

  final MotoServer moto;
  final FaultProxy proxy;
  final List<ProviderEvent> events = new CopyOnWriteArrayList<>();

  Route53Harness(MotoServer moto) {
    this.moto = moto;
    this.proxy = new FaultProxy(moto.endpoint());
  }

  /** A new zone at moto, and the config for it with Route 53 settings aimed at the proxy. */
  DnsConfig newZone(String prefix, Route53 settings) {
    String zone = prefix + ZONES.getAndIncrement() + ".pharos.test";
    String id = moto.createZone(zone);
    return DnsProviderContract.config("route53", zone).withProvider("route53", new ProviderSettings(
        Optional.of(settings.withEndpoint(proxy.endpoint(), id)), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
  }

  String zoneId(DnsConfig dns) {
    return dns.settings().route53().orElseThrow().hostedZoneId().orElseThrow();
  }

  Route53Provider provider(DnsConfig dns) {
    return Route53Provider.create(dns, context());
  }

  DnsProviderContext context() {
    return DnsProviderContext.remote(Clock.systemUTC()).withAwsCredentials(MotoServer.FAKE_CREDENTIALS)
        .withEvents(events::add);
  }

  List<String> eventCodes() {
    return events.stream().map(ProviderEvent::code).toList();
  }

  @Override
  public void close() {
    proxy.close();
  }
}
