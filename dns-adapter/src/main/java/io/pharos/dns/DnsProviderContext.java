package io.pharos.dns;

import io.pharos.dns.embedded.ZoneStore;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * What providers need from the process that runs them. Passed to {@link DnsProviders#create} so
 * the factory signature stays the same as providers with other needs are added.
 *
 * @param zoneStore the replicated store the embedded zone lives in (required for "embedded")
 * @param clock the controller's clock, for {@link ApplyResult#appliedAt()} and events
 * @param env environment variables, where secrets named by the config are looked up (the TSIG key)
 * @param awsCredentials credentials for Route 53; empty means the SDK's default provider chain
 *     (environment, profile, web identity for Kubernetes service accounts, container, instance)
 * @param events where alert-worthy provider events go (breaker, INSYNC deadline, drift, rejected
 *     record); they are logged as well
 */
public record DnsProviderContext(
    Optional<ZoneStore> zoneStore,
    Clock clock,
    Map<String, String> env,
    Optional<AwsCredentialsProvider> awsCredentials,
    Consumer<ProviderEvent> events) {
  public DnsProviderContext {
    Objects.requireNonNull(zoneStore, "zoneStore");
    Objects.requireNonNull(clock, "clock");
    env = Map.copyOf(env);
    Objects.requireNonNull(awsCredentials, "awsCredentials");
    Objects.requireNonNull(events, "events");
  }

  /** The process environment, default credentials, events only logged. */
  public DnsProviderContext(Optional<ZoneStore> zoneStore, Clock clock) {
    this(zoneStore, clock, System.getenv(), Optional.empty(), e -> { });
  }

  /** A context for the embedded provider. */
  public static DnsProviderContext embedded(ZoneStore zoneStore, Clock clock) {
    return new DnsProviderContext(Optional.of(zoneStore), clock);
  }

  /** A context for a remote provider (no zone store). */
  public static DnsProviderContext remote(Clock clock) {
    return new DnsProviderContext(Optional.empty(), clock);
  }

  public DnsProviderContext withEnv(Map<String, String> newEnv) {
    return new DnsProviderContext(zoneStore, clock, newEnv, awsCredentials, events);
  }

  public DnsProviderContext withAwsCredentials(AwsCredentialsProvider credentials) {
    return new DnsProviderContext(zoneStore, clock, env, Optional.of(credentials), events);
  }

  public DnsProviderContext withEvents(Consumer<ProviderEvent> listener) {
    return new DnsProviderContext(zoneStore, clock, env, awsCredentials, listener);
  }

  @Override
  public String toString() {
    // the environment holds secrets: never print it
    return "DnsProviderContext[zoneStore=" + zoneStore.isPresent() + ", clock=" + clock + ", env=<" + env.size()
        + " variables>, awsCredentials=" + (awsCredentials.isPresent() ? "given" : "default chain") + "]";
  }
}
