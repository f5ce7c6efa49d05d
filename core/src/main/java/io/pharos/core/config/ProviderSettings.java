package io.pharos.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the DNS providers and of reconciliation, under {@code dns.route53}, {@code
 * dns.rfc2136} and {@code dns.reconcile}. Secrets are never held here: only the names of the
 * environment variables that hold them, read when the provider is created.
 *
 * @param route53 present when {@code dns.route53} is written (defaults apply otherwise)
 * @param rfc2136 present when {@code dns.rfc2136} is written; required for provider rfc2136
 * @param reconcile how often actual records are compared with the journal and what drift does
 */
public record ProviderSettings(Optional<Route53> route53, Optional<Rfc2136> rfc2136, Reconcile reconcile) {
  public ProviderSettings {
    Objects.requireNonNull(route53, "route53");
    Objects.requireNonNull(rfc2136, "rfc2136");
    Objects.requireNonNull(reconcile, "reconcile");
  }

  /** No provider section written, default reconciliation. */
  public static ProviderSettings defaults() {
    return new ProviderSettings(Optional.empty(), Optional.empty(), Reconcile.DEFAULTS);
  }

  /** The Route 53 settings, or the defaults when the section is absent. */
  public Route53 route53OrDefaults() {
    return route53.orElse(Route53.DEFAULTS);
  }

  /**
   * Route 53 ({@code dns.route53}).
   *
   * @param hostedZoneId the hosted zone; empty means "look it up by dns.zone at start"
   * @param region SDK signing region (Route 53 is global; us-east-1 unless told otherwise)
   * @param endpoint API endpoint override (moto_server, a proxy); empty for AWS itself
   * @param requestsPerSecond client-side budget shared by every zone of this process and endpoint
   * @param insyncDeadline how long a change may stay PENDING before it is alerted and failed
   * @param pollInterval time between GetChange polls
   * @param maxAttempts attempts per API call, the first one included (retries = maxAttempts - 1)
   * @param backoffBase first retry delay, doubled per retry, with full jitter
   * @param backoffMax cap of a retry delay
   * @param requestTimeout timeout of one HTTP attempt
   * @param breakerFailures consecutive failed calls that open the circuit breaker
   * @param breakerOpenFor how long the breaker stays open before letting a trial call through
   * @param fencingTtl TTL of the {@code _pharos} TXT record, seconds
   */
  public record Route53(
      Optional<String> hostedZoneId,
      String region,
      Optional<URI> endpoint,
      int requestsPerSecond,
      Duration insyncDeadline,
      Duration pollInterval,
      int maxAttempts,
      Duration backoffBase,
      Duration backoffMax,
      Duration requestTimeout,
      int breakerFailures,
      Duration breakerOpenFor,
      int fencingTtl) {
    public static final Route53 DEFAULTS = new Route53(Optional.empty(), "us-east-1", Optional.empty(), 5,
        Duration.ofSeconds(60), Duration.ofSeconds(1), 5, Duration.ofMillis(200), Duration.ofSeconds(5),
        Duration.ofSeconds(10), 5, Duration.ofSeconds(30), 60);

    public Route53 {
      Objects.requireNonNull(hostedZoneId, "hostedZoneId");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(endpoint, "endpoint");
      if (requestsPerSecond < 1 || maxAttempts < 1 || breakerFailures < 1 || fencingTtl < 0) {
        throw new IllegalArgumentException("requestsPerSecond, maxAttempts and breakerFailures must be at least 1");
      }
    }

    /** A copy aimed at another endpoint and zone (tests, the benchmark). */
    public Route53 withEndpoint(URI uri, String zoneId) {
      return new Route53(Optional.ofNullable(zoneId), region, Optional.of(uri), requestsPerSecond, insyncDeadline,
          pollInterval, maxAttempts, backoffBase, backoffMax, requestTimeout, breakerFailures, breakerOpenFor,
          fencingTtl);
    }
  }

  /**
   * RFC 2136 dynamic update ({@code dns.rfc2136}).
   *
   * @param server the primary name server that takes updates
   * @param tsigKeyName name of the TSIG key, as in the server's {@code key} statement
   * @param tsigKeyEnv environment variable holding the key's base64 secret
   * @param tsigAlgorithm hmac-sha256 (default), hmac-sha384 or hmac-sha512
   * @param timeout timeout of one query or update
   * @param fencingTtl TTL of the {@code _pharos} TXT record, seconds
   */
  public record Rfc2136(
      HostPort server, String tsigKeyName, String tsigKeyEnv, String tsigAlgorithm, Duration timeout,
      int fencingTtl) {
    public Rfc2136 {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(tsigKeyName, "tsigKeyName");
      Objects.requireNonNull(tsigKeyEnv, "tsigKeyEnv");
      Objects.requireNonNull(tsigAlgorithm, "tsigAlgorithm");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /** What a difference between the provider and the journal that nobody decided leads to. */
  public enum DriftPolicy {
    /** Report it (metric, alert) and leave the records as they are. */
    REPORT,
    /** Report it and put the records back to the journal's weights and the config's targets. */
    REPAIR
  }

  /**
   * Reconciliation ({@code dns.reconcile}).
   *
   * @param interval time between periodic comparisons of actual and desired records
   * @param drift what drift leads to
   */
  public record Reconcile(Duration interval, DriftPolicy drift) {
    public static final Reconcile DEFAULTS = new Reconcile(Duration.ofSeconds(30), DriftPolicy.REPORT);

    public Reconcile {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(drift, "drift");
    }
  }
}
