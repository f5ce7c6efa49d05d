package io.pharos.dns;

import io.pharos.dns.embedded.ZoneStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What providers need from the process that runs them. Passed to {@link DnsProviders#create} so
 * the factory signature stays the same as providers with other needs are added.
 *
 * @param zoneStore the replicated store the embedded zone lives in (required for "embedded")
 * @param clock the controller's clock, for {@link ApplyResult#appliedAt()}
 */
public record DnsProviderContext(Optional<ZoneStore> zoneStore, Clock clock) {
  public DnsProviderContext {
    Objects.requireNonNull(zoneStore, "zoneStore");
    Objects.requireNonNull(clock, "clock");
  }

  /** A context for the embedded provider. */
  public static DnsProviderContext embedded(ZoneStore zoneStore, Clock clock) {
    return new DnsProviderContext(Optional.of(zoneStore), clock);
  }
}
