package io.pharos.dns.route53;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.contract.DnsProviderContract;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.dns.MotoServer;
import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The shared moto_server, a chaos proxy in front of it per test (which also counts the API calls
 * by action), a fresh hosted zone per provider, and an SDK client straight to moto for what a
 * person would do by hand.
 */
final class Route53Harness implements AutoCloseable {
  private static final AtomicInteger ZONES = new AtomicInteger();

  final MotoServer moto = MotoServer.shared();
  final HttpChaosProxy proxy;
  final Route53Client direct = Route53Fixtures.direct(moto);
  final List<ProviderEvent> events = new CopyOnWriteArrayList<>();

  Route53Harness() {
    try {
      proxy = new HttpChaosProxy(new InetSocketAddress("127.0.0.1", 0), moto.url()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new zone at moto, and the config for it with Route 53 settings aimed at the proxy. */
  DnsConfig newZone(String prefix, Route53 settings) {
    String zone = prefix + ZONES.getAndIncrement() + ".pharos.test";
    String id = moto.createZone(zone);
    return DnsProviderContract.config("route53", zone).withProvider("route53", new ProviderSettings(
        Optional.of(settings.withEndpoint(proxy.url(), id)), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
  }

  String zoneId(DnsConfig dns) {
    return dns.settings().route53().orElseThrow().hostedZoneId().orElseThrow();
  }

  /** The zone's record sets as moto holds them, read around the proxy. */
  List<ResourceRecordSet> recordSets(DnsConfig dns) {
    return direct.listResourceRecordSets(r -> r.hostedZoneId(zoneId(dns))).resourceRecordSets();
  }

  Route53Provider provider(DnsConfig dns) {
    return Route53Provider.create(dns, context());
  }

  DnsProviderContext context() {
    return DnsProviderContext.remote(Clock.systemUTC()).withAwsCredentials(Route53Fixtures.FAKE_CREDENTIALS)
        .withEvents(events::add);
  }

  List<String> eventCodes() {
    return events.stream().map(ProviderEvent::code).toList();
  }

  /** Calls of one Route 53 action the proxy saw since its log was last cleared. */
  int count(String action) {
    return Route53Api.count(proxy.exchanges(), action);
  }

  /** Bodies of the change batches that reached moto since the log was last cleared. */
  List<String> changeBodies() {
    return proxy.exchanges().stream().filter(e -> Route53Api.isChange(e) && e.accepted())
        .map(HttpChaosProxy.Exchange::body).toList();
  }

  @Override
  public void close() {
    proxy.close();
    direct.close();
  }
}
