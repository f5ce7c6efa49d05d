package io.pharos.dns.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.TestZones;
import io.pharos.dns.ZoneSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every DNS provider keeps, run against each of them (embedded, Route 53 on
 * moto_server, RFC 2136 on BIND 9): the same calls, the same outcomes. Each test gets a zone of
 * its own, empty at the provider.
 */
public abstract class DnsProviderContract {
  private static final AtomicInteger ZONES = new AtomicInteger();
  private static final Duration LIVE = Duration.ofSeconds(20);

  protected DnsConfig dns;
  protected DnsProvider provider;

  /** A provider for a fresh zone of this config (the zone exists at the provider, records do not). */
  protected abstract DnsProvider newProvider(DnsConfig dns) throws Exception;

  /** What a resolver is answered for a name now (addresses, or the CNAME target). */
  protected abstract Set<String> served(DnsConfig dns, String name, String type) throws Exception;

  /** {@link #served} with IPv6 addresses in one spelling. */
  private Set<String> answered(String name, String type) throws Exception {
    Set<String> out = new java.util.TreeSet<>();
    for (String v : served(dns, name, type)) {
      out.add(type.equals("AAAA") ? java.net.InetAddress.getByName(v).getHostAddress() : v);
    }
    return out;
  }

  private static String v6(String literal) throws Exception {
    return java.net.InetAddress.getByName(literal).getHostAddress();
  }

  /** Zone names for the tests of this class; the BIND server is configured with these. */
  protected static List<String> zoneNames(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i + ".pharos.test").toList();
  }

  protected String nextZone(String prefix) {
    return prefix + ZONES.getAndIncrement() + ".pharos.test";
  }

  protected abstract String zonePrefix();

  /** Three kinds of records: A over three regions, AAAA and CNAME over two. */
  public static DnsConfig config(String provider, String zone) {
    return new DnsConfig(provider, zone, List.of(
        new RecordConfig("app." + zone, "A", 30, Map.of("a", List.of("192.0.2.10", "192.0.2.11"),
            "b", List.of("198.51.100.10"), "c", List.of("203.0.113.10")), Map.of("a", 50, "b", 30, "c", 20)),
        new RecordConfig("v6." + zone, "AAAA", 30, Map.of("a", List.of("2001:db8::a"), "b", List.of("2001:db8::b")),
            Map.of("a", 1, "b", 1)),
        new RecordConfig("www." + zone, "CNAME", 60, Map.of("a", List.of("app-a.example.net"),
            "b", List.of("app-b.example.net")), Map.of("a", 60, "b", 40))));
  }

  protected abstract String providerName();

  @BeforeEach
  void createProvider() throws Exception {
    dns = config(providerName(), nextZone(zonePrefix()));
    provider = newProvider(dns);
  }

  @AfterEach
  void closeProvider() {
    if (provider != null) {
      provider.close();
    }
  }

  protected ApplyResult applyDesired(Map<String, Map<String, Integer>> desired, FencingToken token) {
    ZoneSnapshot actual = provider.read().join();
    ApplyResult r = provider.apply(provider.plan(desired, actual), token).join();
    provider.awaitLive(r, LIVE).join();
    return r;
  }

  protected Map<String, Map<String, Integer>> base() {
    return WeightPlan.base(dns);
  }

  protected Map<String, Map<String, Integer>> without(String region) {
    return WeightPlan.plan(dns, List.of(region)).orElseThrow();
  }

  @Test
  void checkPassesAndHealthIsUp() {
    ProviderHealth h = provider.check().join();

    assertThat(h.state()).isEqualTo(ProviderHealth.State.UP);
    assertThat(provider.health().healthy()).isTrue();
  }

  @Test
  void theFirstApplyWritesEveryRecordAndTheToken() throws Exception {
    applyDesired(base(), new FencingToken(1, 1));

    ZoneSnapshot now = provider.read().join();
    assertThat(now.weights()).isEqualTo(base());
    assertThat(now.token()).isEqualTo(new FencingToken(1, 1));
    assertThat(answered("app." + dns.zone(), "A"))
        .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11", "198.51.100.10", "203.0.113.10");
    assertThat(answered("www." + dns.zone(), "CNAME")).containsExactly("app-a.example.net");
  }

  @Test
  void aFailoverIsOneApplyAndIsServedOnceLive() throws Exception {
    applyDesired(base(), new FencingToken(1, 1));

    ApplyResult r = applyDesired(without("a"), new FencingToken(1, 2));

    assertThat(r.token()).isEqualTo(new FencingToken(1, 2));
    ZoneSnapshot now = provider.read().join();
    assertThat(now.weights()).isEqualTo(without("a"));
    assertThat(now.weight("app." + dns.zone(), "a")).isZero();
    assertThat(now.token()).isEqualTo(new FencingToken(1, 2));
    assertThat(answered("app." + dns.zone(), "A")).containsExactlyInAnyOrder("198.51.100.10", "203.0.113.10");
    assertThat(answered("v6." + dns.zone(), "AAAA")).containsExactly(v6("2001:db8::b"));
    assertThat(answered("www." + dns.zone(), "CNAME")).containsExactly("app-b.example.net");
  }

  @Test
  void aPlanIsMinimal() {
    applyDesired(base(), new FencingToken(1, 1));
    ZoneSnapshot actual = provider.read().join();

    ChangePlan plan = provider.plan(TestZones.with(actual.weights(), "app." + dns.zone(), "b", 0), actual);

    assertThat(plan.describe()).isEqualTo("app." + dns.zone() + " b 30 -> 0");
  }

  @Test
  void anOlderTokenIsRefusedAndNothingChanges() throws Exception {
    applyDesired(base(), new FencingToken(2, 5));
    ZoneSnapshot actual = provider.read().join();
    ChangePlan plan = provider.plan(without("a"), actual);

    assertThatThrownBy(() -> provider.apply(plan, new FencingToken(2, 4)).join())
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(StaleTokenException.class)
        .hasMessageContaining("2:4").hasMessageContaining("2:5");
    assertThat(provider.read().join().weights()).isEqualTo(base());
    assertThat(provider.read().join().token()).isEqualTo(new FencingToken(2, 5));
    assertThat(answered("app." + dns.zone(), "A")).contains("192.0.2.10");
  }

  @Test
  void aPlanMadeAgainstAnOutdatedReadIsRefused() {
    applyDesired(base(), new FencingToken(1, 1));
    ZoneSnapshot old = provider.read().join();
    ChangePlan stalePlan = provider.plan(without("b"), old);
    applyDesired(without("a"), new FencingToken(1, 2));

    assertThatThrownBy(() -> provider.apply(stalePlan, new FencingToken(1, 3)).join())
        .cause().isInstanceOf(DnsProviderException.class).hasMessageContaining("plan again")
        .matches(e -> !((DnsProviderException) e).retryable());
    assertThat(provider.read().join().weights()).isEqualTo(without("a"));
  }

  @Test
  void retryingTheSameTokenIsIdempotent() {
    applyDesired(base(), new FencingToken(1, 1));
    applyDesired(without("c"), new FencingToken(1, 2));
    ZoneSnapshot after = provider.read().join();

    ChangePlan again = provider.plan(without("c"), after);
    ApplyResult retried = provider.apply(again, new FencingToken(1, 2)).join();

    assertThat(again.isEmpty()).isTrue();
    assertThat(retried.weights()).isEqualTo(without("c"));
    assertThat(provider.read().join().token()).isEqualTo(new FencingToken(1, 2));
  }

  @Test
  void aPlanNamingAnUnknownRecordOrRegionOrWeightIsRefused() {
    ZoneSnapshot actual = provider.read().join();

    assertThatThrownBy(() -> provider.plan(Map.of("nope." + dns.zone(), Map.of("a", 1)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("not under dns.records");
    assertThatThrownBy(() -> provider.plan(Map.of("app." + dns.zone(), Map.of("z", 1)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("region 'z'");
    assertThatThrownBy(() -> provider.plan(Map.of("app." + dns.zone(), Map.of("a", 256)), actual))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("0..255");
  }

  @Test
  void aClosedProviderIsDownAndRefusesChanges() {
    ZoneSnapshot actual = provider.read().join();
    provider.close();
    provider.close();

    assertThat(provider.health().healthy()).isFalse();
    assertThat(provider.apply(provider.plan(base(), actual), new FencingToken(9, 9))).isCompletedExceptionally();
  }
}
