package io.pharos.dns.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.InsyncDeadlineException;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.testing.Route53Fixtures;
import io.pharos.testkit.dns.Route53Api;
import io.pharos.testkit.proc.Ports;
import io.pharos.testkit.proxy.HttpChaosProxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;

/** Route 53 against moto_server, through the chaos proxy (which also counts API requests). */
class Route53ProviderTest {
  private Route53Harness h;
  private DnsConfig dns;
  private Route53Provider provider;

  @BeforeEach
  void setUp() {
    h = new Route53Harness();
    dns = h.newZone("p", Route53Fixtures.fast());
    provider = h.provider(dns);
  }

  @AfterEach
  void tearDown() {
    provider.close();
    h.close();
  }

  private void initialize() {
    ZoneSnapshot empty = provider.read().join();
    provider.apply(provider.plan(WeightPlan.base(dns), empty), new FencingToken(1, 1)).join();
  }

  @Test
  void aWeightedFailoverIsOneBatchWithOneSetPerRegionAndTheFencingSwap() {
    initialize();
    ZoneSnapshot actual = provider.read().join();
    h.proxy.clearLog();

    ApplyResult r = provider.apply(provider.plan(WeightPlan.plan(dns, List.of("a")).orElseThrow(), actual),
        new FencingToken(1, 2)).join();
    provider.awaitLive(r, Duration.ofSeconds(10)).join();

    // one pre-check read of the fencing record, one change batch, nothing else
    assertThat(h.count("ChangeResourceRecordSets")).isEqualTo(1);
    assertThat(h.count("ListResourceRecordSets")).isEqualTo(1);
    String batch = h.changeBodies().get(0);
    assertThat(batch).contains("<SetIdentifier>a</SetIdentifier>", "<Weight>0</Weight>")
        .contains("<Action>DELETE</Action>", "&quot;1:1&quot; &quot;batch=1&quot;")
        .contains("<Action>CREATE</Action>", "&quot;1:2&quot; &quot;batch=1&quot;");
    List<ResourceRecordSet> sets = h.recordSets(dns);
    assertThat(sets).filteredOn(s -> s.name().startsWith("app.") && s.setIdentifier() != null)
        .extracting(ResourceRecordSet::setIdentifier).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(sets).filteredOn(s -> s.name().startsWith("app.") && "a".equals(s.setIdentifier()))
        .extracting(ResourceRecordSet::weight).containsExactly(0L);
    assertThat(provider.read().join().token()).isEqualTo(new FencingToken(1, 2));
  }

  @Test
  void awaitLivePollsGetChangeUntilInsync() {
    initialize();
    ZoneSnapshot actual = provider.read().join();
    Route53Api.pendingFor(h.proxy, 3);
    h.proxy.clearLog();

    ApplyResult r = provider.apply(provider.plan(WeightPlan.plan(dns, List.of("b")).orElseThrow(), actual),
        new FencingToken(1, 2)).join();
    provider.awaitLive(r, Duration.ofSeconds(10)).join();

    assertThat(h.count("GetChange")).isEqualTo(4);
    assertThat(h.count("ChangeResourceRecordSets")).isEqualTo(1);
  }

  @Test
  void aChangeStillPendingAtTheDeadlineFailsRetryablyAndAlerts() {
    initialize();
    ZoneSnapshot actual = provider.read().join();
    Route53Api.pendingFor(h.proxy, 1_000);

    ApplyResult r = provider.apply(provider.plan(WeightPlan.plan(dns, List.of("b")).orElseThrow(), actual),
        new FencingToken(1, 2)).join();

    assertThatThrownBy(() -> provider.awaitLive(r, Duration.ofMillis(700)).join()).cause()
        .isInstanceOf(InsyncDeadlineException.class).hasMessageContaining(r.changeId())
        .matches(e -> ((DnsProviderException) e).retryable());
    assertThat(h.eventCodes()).contains(ProviderEvent.INSYNC_DEADLINE);
  }

  @Test
  void aStaleTokenIsRefusedBeforeAnythingIsSent() {
    initialize();
    ZoneSnapshot actual = provider.read().join();
    // a newer leader's change lands first, through another provider instance
    try (Route53Provider newer = h.provider(dns)) {
      newer.apply(newer.plan(WeightPlan.plan(dns, List.of("c")).orElseThrow(), actual), new FencingToken(2, 1)).join();
    }
    h.proxy.clearLog();

    assertThatThrownBy(() -> provider.apply(provider.plan(WeightPlan.plan(dns, List.of("a")).orElseThrow(), actual),
        new FencingToken(1, 9)).join()).cause().isInstanceOf(StaleTokenException.class).hasMessageContaining("2:1");
    assertThat(h.count("ChangeResourceRecordSets")).isZero();
    assertThat(provider.read().join().weight("app." + dns.zone(), "c")).isZero();
  }

  @Test
  void aliasTargetsAreWrittenAsAliasSets() {
    RecordConfig alias = new RecordConfig("lb." + dns.zone(), "A", 60, Map.of("a", List.of("192.0.2.1")),
        Map.of("a", 1, "b", 1), Map.of("b", new RecordConfig.Alias("my-elb-1.us-east-1.elb.amazonaws.com",
            "Z35SXDOTRQ7X7K", true)));
    DnsConfig withAlias = new DnsConfig("route53", dns.zone(), List.of(alias), dns.settings());
    try (Route53Provider p = h.provider(withAlias)) {
      ZoneSnapshot empty = p.read().join();
      p.apply(p.plan(WeightPlan.base(withAlias), empty), new FencingToken(1, 1)).join();

      ResourceRecordSet set = h.recordSets(dns).stream()
          .filter(s -> s.name().startsWith("lb.") && "b".equals(s.setIdentifier())).findFirst().orElseThrow();
      assertThat(set.aliasTarget().dnsName()).startsWith("my-elb-1.us-east-1.elb.amazonaws.com");
      assertThat(p.read().join().weights().get("lb." + dns.zone())).containsEntry("a", 1).containsEntry("b", 1);
    }
  }

  @Test
  void theBudgetSpacesRequestsAtFivePerSecond() {
    h.proxy.clearLog();
    List<java.util.concurrent.CompletableFuture<ZoneSnapshot>> reads = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      reads.add(provider.read());
    }
    reads.forEach(java.util.concurrent.CompletableFuture::join);

    // one zone lookup shared by all twelve reads, then twelve listings
    assertThat(h.count("ListResourceRecordSets")).isEqualTo(12);
    List<Long> all = h.proxy.exchanges().stream().map(HttpChaosProxy.Exchange::at).sorted().toList();
    List<Long> times = all.subList(all.size() - 12, all.size());
    // 5 at once, then each one 1.05 s after the one five places before: the 12th is sent 2.1 s
    // after the first; arrival times at the proxy jitter on a busy machine, hence the slack
    assertThat(times.get(11) - times.get(0)).isGreaterThan(1600L);
    assertThat(provider.health().counters().get("budget_delayed")).isGreaterThanOrEqualTo(7L);
  }

  @Test
  void anUnknownZoneIdIsAClearError() {
    DnsConfig wrong = dns.withProvider("route53", new ProviderSettings(Optional.of(Route53Fixtures.fast()
        .withEndpoint(h.proxy.url(), "ZNOSUCHZONE0000")), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
    try (Route53Provider p = h.provider(wrong)) {
      assertThatThrownBy(() -> p.check().join()).cause().isInstanceOf(DnsProviderException.class)
          .hasMessageContaining("unknown zone").hasMessageContaining("dns.route53.hostedZoneId");
      assertThat(p.health().healthy()).isFalse();
    }
  }

  @Test
  void aZoneNameNotInTheAccountIsAClearError() {
    DnsConfig other = DnsConfigs.withZone(dns, "absent.pharos.test", h.proxy.url());
    try (Route53Provider p = h.provider(other)) {
      assertThatThrownBy(() -> p.check().join()).cause().hasMessageContaining("unknown zone")
          .hasMessageContaining("no hosted zone named absent.pharos.test");
    }
  }

  @Test
  void missingCredentialsAreAClearErrorNamingTheVariables(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("credentials"), "");
    var none = ProfileCredentialsProvider.builder().profileName("pharos-test-absent")
        .profileFile(ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build()).build();
    try (var p = DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC()).withAwsCredentials(none))) {
      assertThatThrownBy(() -> p.check().join()).cause().isInstanceOf(DnsProviderException.class)
          .hasMessageContaining("no AWS credentials").hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE");
    }
  }

  @Test
  void anUnreachableProviderAtStartIsARetryableErrorNamingTheEndpointAndAnAlert() {
    URI closed = URI.create("http://127.0.0.1:" + Ports.free());
    DnsConfig down = dns.withProvider("route53", new ProviderSettings(Optional.of(Route53Fixtures.fast()
        .withEndpoint(closed, h.zoneId(dns))), Optional.empty(), ProviderSettings.Reconcile.DEFAULTS));
    try (Route53Provider p = h.provider(down)) {
      assertThatThrownBy(() -> p.check().join()).cause().isInstanceOf(DnsProviderException.class)
          .hasMessageContaining("unreachable").hasMessageContaining(closed.toString())
          .hasMessageContaining("dns.route53.endpoint").matches(e -> ((DnsProviderException) e).retryable());
      assertThat(p.health().healthy()).isFalse();
      assertThat(h.eventCodes()).contains(ProviderEvent.UNREACHABLE);
    }
  }

  @Test
  void aHandMadePlanWithoutABasisIsRefused() {
    assertThatThrownBy(() -> provider.apply(ChangePlan.empty(), new FencingToken(1, 1)).join()).cause()
        .hasMessageContaining("provider.plan(desired, provider.read())");
  }

  @Test
  void anUnreadableFencingRecordIsReportedAndBlocksChanges() {
    h.direct.changeResourceRecordSets(r -> r.hostedZoneId(h.zoneId(dns)).changeBatch(b -> b.changes(c -> c
        .action("CREATE").resourceRecordSet(s -> s.name("_pharos." + dns.zone() + ".").type(RRType.TXT).ttl(60L)
            .resourceRecords(v -> v.value("\"hello\""))))));
    ZoneSnapshot actual = provider.read().join();

    assertThat(actual.drift()).anyMatch(d -> d.kind() == io.pharos.dns.Drift.Kind.FENCING);
    assertThatThrownBy(() -> provider.apply(provider.plan(WeightPlan.base(dns), actual), new FencingToken(1, 1))
        .join()).cause().hasMessageContaining("does not hold a token");
  }
}
