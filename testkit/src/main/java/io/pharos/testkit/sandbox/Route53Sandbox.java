package io.pharos.testkit.sandbox;

import io.pharos.testkit.dns.MotoServer;
import io.pharos.testkit.proc.ManagedProcess;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proc.ProcessGroup;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Route 53 for a local sandbox, without AWS: a {@link MotoServer} (a child of this JVM that exits
 * with it, even after kill -9), a hosted zone for the sandbox's zone seeded with the configured
 * weighted record sets (as an operator would have them before pointing Pharos at the zone), and an
 * {@link HttpChaosProxy} in front of it where the controllers can reach it (on the namespace
 * network: the bridge's address in the root namespace). The controllers talk to the proxy only;
 * moto itself listens on 127.0.0.1 of the root namespace, which no namespace can reach, so every
 * API call the controllers make passes through the proxy and is counted there.
 *
 * <p>The drill runner reads what Route 53 serves straight from moto ({@link #answer}), not through
 * the proxy, so its reads neither spend the controllers' budget nor are throttled.
 */
public final class Route53Sandbox implements AutoCloseable {
  /** The variables the Route 53 provider's default credential chain reads; test-only values moto ignores. */
  public static final Map<String, String> TEST_CREDENTIALS = Map.of(
      "AWS_ACCESS_KEY_ID", "pharos-sandbox-not-a-key",
      "AWS_SECRET_ACCESS_KEY", "pharos-sandbox-not-a-secret",
      // never ask an instance metadata service (there is none, and no traffic may leave the machine)
      "AWS_EC2_METADATA_DISABLED", "true");
  /** Requests per second the sandbox's controllers may send (Route 53's per-account limit). */
  public static final int REQUESTS_PER_SECOND = 5;

  /** One weighted record of the sandbox: its name, TTL, and per region the target and base weight. */
  public record Record(String name, String type, int ttl, Map<String, String> targets, Map<String, Integer> weights) {}

  private final MotoServer moto;
  private final HttpChaosProxy proxy;
  private final String zone;
  private final String zoneId;

  private Route53Sandbox(MotoServer moto, String zone, String proxyHost, List<Record> records) {
    this.moto = moto;
    this.zone = zone;
    HttpChaosProxy p = null;
    try {
      this.zoneId = moto.createZone(zone);
      seed(records);
      p = new HttpChaosProxy(new InetSocketAddress(proxyHost, Ports.free()), moto.url()).start();
    } catch (IOException | RuntimeException e) {
      moto.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException("the proxy in front of moto_server: "
          + e.getMessage(), e);
    }
    this.proxy = p;
  }

  /** Whether this machine can run it: moto_server on PATH. */
  public static Optional<String> unavailableReason() {
    return MotoServer.unavailableReason();
  }

  /**
   * Starts moto_server (in {@code group}, log {@code route53-moto.log}), creates the hosted zone
   * {@code zone} with {@code records} and a proxy listening on {@code proxyHost}. Throws naming
   * what failed; leaves nothing running then.
   */
  public static Route53Sandbox start(ProcessGroup group, String zone, String proxyHost, List<Record> records) {
    return new Route53Sandbox(MotoServer.start(group), zone, proxyHost, records);
  }

  private void seed(List<Record> records) {
    StringBuilder changes = new StringBuilder();
    for (Record r : records) {
      r.targets().forEach((region, target) -> changes.append("<Change><Action>CREATE</Action><ResourceRecordSet><Name>")
          .append(r.name()).append(".</Name><Type>").append(r.type()).append("</Type><SetIdentifier>").append(region)
          .append("</SetIdentifier><Weight>").append(r.weights().getOrDefault(region, 0)).append("</Weight><TTL>")
          .append(r.ttl()).append("</TTL><ResourceRecords><ResourceRecord><Value>").append(target)
          .append("</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>"));
    }
    moto.change(zoneId, "seeded by the Pharos sandbox", changes.toString());
  }

  /** Every record set of the zone, read from moto directly. */
  public List<MotoServer.RecordSet> recordSets() throws IOException {
    return moto.recordSets(zoneId);
  }

  /** What Route 53 answers for a name and type (see {@link MotoServer#answer}), read from moto directly. */
  public Set<String> answer(String name, String type) throws IOException {
    return moto.answer(zoneId, name, type);
  }

  /** The proxy the controllers use as their Route 53 endpoint. */
  public HttpChaosProxy proxy() {
    return proxy;
  }

  /** The endpoint override written into the controllers' config (the proxy). */
  public URI endpoint() {
    return proxy.url();
  }

  /** moto_server itself (on this machine's loopback; the runner's reads go here). */
  public URI motoUrl() {
    return moto.url();
  }

  public String zone() {
    return zone;
  }

  public String hostedZoneId() {
    return zoneId;
  }

  public ManagedProcess process() {
    return moto.process();
  }

  /** Stops the proxy and moto_server. Idempotent. */
  @Override
  public void close() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      moto.close();
    }
  }
}
