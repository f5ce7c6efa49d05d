package io.pharos.dns.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.HostPort;
import io.pharos.core.config.ProviderSettings;
import io.pharos.core.decision.WeightPlan;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.StaleTokenException;
import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.contract.DnsProviderContract;
import io.pharos.dns.testing.DnsAnswers;
import io.pharos.testkit.dns.BindServer;
import io.pharos.testkit.proc.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** RFC 2136 with TSIG against a real BIND 9: the server enforces the fencing prerequisite itself. */
class Rfc2136ProviderTest {
  private static final AtomicInteger ZONES = new AtomicInteger();
  private static BindServer bind;
  private final List<ProviderEvent> events = new CopyOnWriteArrayList<>();
  private DnsConfig dns;

  @BeforeAll
  static void startBind(@TempDir Path dir) {
    bind = BindServer.start(dir, DnsProviderContractZones.names());
  }

  @AfterAll
  static void stopBind() {
    if (bind != null) {
      bind.close();
    }
  }

  @BeforeEach
  void zone() {
    dns = config(bind.address(), "hmac-sha256");
  }

  private DnsConfig config(HostPort server, String algorithm) {
    String zone = "t" + ZONES.getAndIncrement() + ".pharos.test";
    return DnsProviderContract.config("rfc2136", zone).withProvider("rfc2136", new ProviderSettings(Optional.empty(),
        Optional.of(new ProviderSettings.Rfc2136(server, BindServer.KEY_NAME, "PHAROS_TSIG_KEY", algorithm,
            Duration.ofSeconds(2), 60)), ProviderSettings.Reconcile.DEFAULTS));
  }

  /** What BIND answers, asked as a resolver would. */
  private static Set<String> answers(String name, int type) throws IOException {
    return DnsAnswers.of(bind.address(), name, type);
  }

  private DnsProvider provider(DnsConfig config, String secret) {
    return DnsProviders.create(config, DnsProviderContext.remote(Clock.systemUTC())
        .withEnv(Map.of("PHAROS_TSIG_KEY", secret)).withEvents(events::add));
  }

  @Test
  void aSignedUpdateChangesWhatBindAnswers() throws Exception {
    try (DnsProvider p = provider(dns, BindServer.KEY_SECRET)) {
      p.check().join();
      ApplyResult r = p.apply(p.plan(WeightPlan.base(dns), p.read().join()), new FencingToken(4, 2)).join();
      p.awaitLive(r, Duration.ofSeconds(5)).join();

      assertThat(answers("app." + dns.zone(), Type.A))
          .containsExactlyInAnyOrder("192.0.2.10", "192.0.2.11", "198.51.100.10", "203.0.113.10");
      assertThat(answers("_pharos." + dns.zone(), Type.TXT)).containsExactly("4:2 batch=1");
      assertThat(answers("_pharos-w.app." + dns.zone(), Type.TXT)).containsExactly("a=50 b=30 c=20");
      assertThat(p.read().join().drift()).isEmpty();
    }
  }

  @Test
  void aStaleEpochUpdateIsRejectedByThePrerequisiteAndNothingIsApplied() throws Exception {
    try (DnsProvider p = provider(dns, BindServer.KEY_SECRET)) {
      ZoneSnapshot empty = p.read().join();
      p.apply(p.plan(WeightPlan.base(dns), empty), new FencingToken(5, 1)).join();
      ZoneSnapshot atFive = p.read().join();
      p.apply(p.plan(WeightPlan.plan(dns, List.of("c")).orElseThrow(), atFive), new FencingToken(6, 1)).join();

      // a deposed leader's update, sent as it would have been sent before term 6: the server refuses it
      Rfc2136Records records = new Rfc2136Records(dns, 60);
      ChangePlan stale = ChangePlan.between(WeightPlan.plan(dns, List.of("a")).orElseThrow(), atFive);
      var held = List.<org.xbill.DNS.Record>of(new org.xbill.DNS.TXTRecord(Name.fromString("_pharos." + dns.zone()
          + "."), org.xbill.DNS.DClass.IN, 60, List.of("5:1", "batch=1")));
      SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", bind.port()));
      r.setTCP(true);
      r.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, Name.fromString(BindServer.KEY_NAME + "."),
          java.util.Base64.getDecoder().decode(BindServer.KEY_SECRET)));
      Message answer = r.send(records.update(stale, new FencingToken(5, 2), held));

      assertThat(Rcode.string(answer.getRcode())).isEqualTo("NXRRSET");
      assertThat(answers("_pharos." + dns.zone(), Type.TXT)).containsExactly("6:1 batch=1");
      assertThat(answers("app." + dns.zone(), Type.A)).contains("192.0.2.10").doesNotContain("203.0.113.10");
      // through the provider, our own pre-check refuses it before sending
      assertThatThrownBy(() -> p.apply(p.plan(WeightPlan.plan(dns, List.of("a")).orElseThrow(), atFive),
          new FencingToken(5, 2)).join()).cause().isInstanceOf(StaleTokenException.class).hasMessageContaining("6:1");
    }
  }

  @Test
  void ofEightConcurrentWritersFromTheSameReadExactlyOneWins() throws Exception {
    try (DnsProvider first = provider(dns, BindServer.KEY_SECRET)) {
      first.apply(first.plan(WeightPlan.base(dns), first.read().join()), new FencingToken(1, 1)).join();
    }
    List<DnsProvider> writers = new ArrayList<>();
    List<CompletableFuture<ApplyResult>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        writers.add(provider(dns, BindServer.KEY_SECRET));
      }
      ZoneSnapshot same = writers.get(0).read().join();
      for (int i = 0; i < 8; i++) {
        DnsProvider w = writers.get(i);
        results.add(w.apply(w.plan(WeightPlan.plan(dns, List.of(i % 2 == 0 ? "a" : "b")).orElseThrow(), same),
            new FencingToken(2, 10 + i)));
      }
      long won = results.stream().filter(f -> {
        try {
          f.join();
          return true;
        } catch (RuntimeException e) {
          assertThat(e.getCause()).isInstanceOf(DnsProviderException.class);
          return false;
        }
      }).count();
      assertThat(won).isEqualTo(1);
    } finally {
      writers.forEach(DnsProvider::close);
    }
  }

  @Test
  void aWrongTsigSecretIsAClearErrorAndNothingIsApplied() throws Exception {
    try (DnsProvider p = provider(dns, BindServer.OTHER_SECRET)) {
      assertThatThrownBy(() -> p.check().join()).cause().isInstanceOf(DnsProviderException.class)
          .hasMessageContaining("did not accept TSIG key 'pharos-test'").hasMessageContaining("BADSIG")
          .hasMessageContaining("PHAROS_TSIG_KEY").matches(e -> !((DnsProviderException) e).retryable());
      assertThat(p.health().healthy()).isFalse();
    }
    assertThat(answers("_pharos." + dns.zone(), Type.TXT)).isEmpty();
  }

  @Test
  void anUnknownKeyNameIsAClearError() {
    DnsConfig other = dns.withProvider("rfc2136", new ProviderSettings(Optional.empty(), Optional.of(
        new ProviderSettings.Rfc2136(bind.address(), "not-configured", "PHAROS_TSIG_KEY", "hmac-sha256",
            Duration.ofSeconds(2), 60)), ProviderSettings.Reconcile.DEFAULTS));
    try (DnsProvider p = provider(other, BindServer.KEY_SECRET)) {
      assertThatThrownBy(() -> p.check().join()).cause().hasMessageContaining("BADKEY")
          .hasMessageContaining("tsigKeyName");
    }
  }

  @Test
  void aMissingSecretNamesTheVariable() {
    assertThatThrownBy(() -> DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC()).withEnv(Map.of())))
        .isInstanceOf(DnsProviderException.class).hasMessageContaining("PHAROS_TSIG_KEY is not set")
        .hasMessageContaining("tsig-keygen");
    assertThatThrownBy(() -> DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC())
        .withEnv(Map.of("PHAROS_TSIG_KEY", "not base64!")))).hasMessageContaining("does not hold a base64 secret")
        .hasMessageNotContaining("not base64!");
  }

  @Test
  void aZoneTheServerDoesNotServeIsAClearError() {
    DnsConfig unknown = DnsProviderContract.config("rfc2136", "nowhere.example").withProvider("rfc2136",
        dns.settings());
    try (DnsProvider p = provider(unknown, BindServer.KEY_SECRET)) {
      assertThatThrownBy(() -> p.check().join()).cause().hasMessageContaining("unknown zone")
          .hasMessageContaining("not authoritative for nowhere.example");
    }
  }

  @Test
  void anUnreachableServerAtStartIsARetryableErrorNamingTheSetting() {
    DnsConfig down = config(new HostPort("127.0.0.1", Ports.free()), "hmac-sha256");
    try (DnsProvider p = provider(down, BindServer.KEY_SECRET)) {
      assertThatThrownBy(() -> p.check().join()).cause().isInstanceOf(DnsProviderException.class)
          .hasMessageContaining("unreachable").hasMessageContaining("dns.rfc2136.server")
          .matches(e -> ((DnsProviderException) e).retryable());
      assertThat(events).extracting(ProviderEvent::code).contains(ProviderEvent.UNREACHABLE);
    }
  }
}
