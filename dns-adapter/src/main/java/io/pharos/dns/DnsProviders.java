package io.pharos.dns;

import io.pharos.core.config.DnsConfig;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import io.pharos.dns.rfc2136.Rfc2136Provider;
import io.pharos.dns.route53.Route53Provider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** Picks the provider named by {@code dns.provider}, so callers never name an implementation. */
public final class DnsProviders {
  /** How long an embedded or RFC 2136 change may take to be served before it is reported. */
  public static final Duration DEFAULT_LIVE_DEADLINE = Duration.ofSeconds(10);

  private static final Map<String, BiFunction<DnsConfig, DnsProviderContext, DnsProvider>> FACTORIES = Map.of(
      EmbeddedDnsProvider.NAME, DnsProviders::embedded,
      Route53Provider.NAME, Route53Provider::create,
      Rfc2136Provider.NAME, Rfc2136Provider::create);

  private DnsProviders() {}

  /** Names that {@code dns.provider} may take, sorted. */
  public static List<String> available() {
    return FACTORIES.keySet().stream().sorted().collect(Collectors.toList());
  }

  /**
   * Builds the provider without any I/O: a provider that cannot be reached at start is not an
   * error here (call {@link DnsProvider#check()} and alert, as the controller does).
   *
   * @throws IllegalArgumentException when the provider is unknown or the context lacks what it
   *     needs; the message lists what is available
   * @throws DnsProviderException when a secret the config names is missing or malformed (the
   *     message names the environment variable)
   */
  public static DnsProvider create(DnsConfig dns, DnsProviderContext context) {
    var factory = FACTORIES.get(dns.provider());
    if (factory == null) {
      throw new IllegalArgumentException("dns.provider '" + dns.provider() + "' is not available; use one of "
          + String.join(", ", available()));
    }
    return factory.apply(dns, context);
  }

  /** The deadline to pass to {@link DnsProvider#awaitLive}: Route 53's insyncDeadline, else 10 s. */
  public static Duration liveDeadline(DnsConfig dns) {
    return Route53Provider.NAME.equals(dns.provider()) ? dns.settings().route53OrDefaults().insyncDeadline()
        : DEFAULT_LIVE_DEADLINE;
  }

  private static DnsProvider embedded(DnsConfig dns, DnsProviderContext context) {
    var store = context.zoneStore().orElseThrow(() -> new IllegalArgumentException(
        "dns.provider 'embedded' serves the zone from the controller's replicated state; pass its ZoneStore"
            + " in the DnsProviderContext"));
    return new EmbeddedDnsProvider(dns, store, context.clock());
  }
}
