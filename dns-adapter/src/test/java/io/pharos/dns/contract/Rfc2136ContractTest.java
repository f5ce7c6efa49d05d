package io.pharos.dns.contract;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviders;
import io.pharos.dns.testing.DnsAnswers;
import io.pharos.testkit.dns.BindServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The contract on RFC 2136 with TSIG, against a real BIND 9 started for this class. */
class Rfc2136ContractTest extends DnsProviderContract {
  private static BindServer bind;

  @BeforeAll
  static void startBind(@TempDir Path dir) {
    bind = BindServer.start(dir, zoneNames("b", 64));
  }

  @AfterAll
  static void stopBind() {
    if (bind != null) {
      bind.close();
    }
  }

  @Override
  protected String providerName() {
    return "rfc2136";
  }

  @Override
  protected String zonePrefix() {
    return "b";
  }

  static ProviderSettings settings(BindServer bind) {
    return new ProviderSettings(Optional.empty(), Optional.of(new ProviderSettings.Rfc2136(bind.address(),
        BindServer.KEY_NAME, "PHAROS_TSIG_KEY", "hmac-sha256", Duration.ofSeconds(3), 60)),
        ProviderSettings.Reconcile.DEFAULTS);
  }

  @Override
  protected DnsProvider newProvider(DnsConfig base) {
    dns = base.withProvider("rfc2136", settings(bind));
    return DnsProviders.create(dns, DnsProviderContext.remote(Clock.systemUTC())
        .withEnv(Map.of("PHAROS_TSIG_KEY", BindServer.KEY_SECRET)));
  }

  @Override
  protected Set<String> served(DnsConfig dns, String name, String type) throws Exception {
    Set<String> raw = DnsAnswers.of(bind.address(), name, Type.value(type));
    return type.equals("CNAME") ? Set.copyOf(raw.stream().map(v -> v.endsWith(".") ? v.substring(0, v.length() - 1)
        : v).toList()) : raw;
  }
}
