package io.pharos.dns;

import io.pharos.core.config.DnsConfig;
import io.pharos.dns.embedded.EmbeddedDnsProvider;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** Picks the provider named by {@code dns.provider}, so callers never name an implementation. */
public final class DnsProviders {
  private static final Map<String, BiFunction<DnsConfig, DnsProviderContext, DnsProvider>> FACTORIES =
      Map.of(EmbeddedDnsProvider.NAME, DnsProviders::embedded);

  private DnsProviders() {}

  /** Names that {@code dns.provider} may take, sorted. */
  public static List<String> available() {
    return FACTORIES.keySet().stream().sorted().collect(Collectors.toList());
  }

  /**
   * @throws IllegalArgumentException when the provider is unknown or the context lacks what it
   *     needs; the message lists what is available
   */
  public static DnsProvider create(DnsConfig dns, DnsProviderContext context) {
    var factory = FACTORIES.get(dns.provider());
    if (factory == null) {
      throw new IllegalArgumentException("dns.provider '" + dns.provider() + "' is not available; use one of "
          + String.join(", ", available()));
    }
    return factory.apply(dns, context);
  }

  private static DnsProvider embedded(DnsConfig dns, DnsProviderContext context) {
    var store = context.zoneStore().orElseThrow(() -> new IllegalArgumentException(
        "dns.provider 'embedded' serves the zone from the controller's replicated state; pass its ZoneStore"
            + " in the DnsProviderContext"));
    return new EmbeddedDnsProvider(dns, store, context.clock());
  }
}
