package io.pharos.dns.route53;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings.Route53;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.FencingChecks;
import io.pharos.dns.FencingRejectedException;
import io.pharos.dns.InsyncDeadlineException;
import io.pharos.dns.InvalidChangeException;
import io.pharos.dns.PlanRules;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.ProviderEvent.Severity;
import io.pharos.dns.ProviderHealth;

import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.resilience.Backoff;
import io.pharos.dns.resilience.RequestBudget;
import io.pharos.dns.resilience.ResilientCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Amazon Route 53: one weighted record set per record and region, every change of a decision in
 * one ChangeResourceRecordSets batch that also swaps the fencing TXT record (exact DELETE of the
 * old token + CREATE of the new one), and GetChange polling until INSYNC. All calls go through
 * {@link ResilientCalls}: a request budget shared per endpoint (5/s by default, Route 53's
 * per-account limit), retries with capped exponential backoff and jitter, and a circuit breaker.
 * The SDK's own retries are off, so that every attempt is budgeted and seen by the breaker.
 */
public final class Route53Provider implements DnsProvider {
  public static final String NAME = "route53";
  private static final Logger LOG = LoggerFactory.getLogger(Route53Provider.class);

  private final DnsConfig dns;
  private final Route53 settings;
  private final Route53Client client;
  private final ResilientCalls calls;
  private final RecordSets sets;
  private final Clock clock;
  private final AtomicReference<String> zoneId = new AtomicReference<>();
  private final AtomicReference<CompletableFuture<String>> zoneLookup = new AtomicReference<>();
  private final AtomicReference<FencingToken> lastAccepted = new AtomicReference<>(FencingToken.NONE);
  private final Map<String, ChangeStatus> statusAtApply = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Builds the SDK client (URL-connection HTTP, SDK retries off) from the config and context. */
  public static Route53Provider create(DnsConfig dns, DnsProviderContext context) {
    Route53 s = dns.settings().route53OrDefaults();
    Route53ClientBuilder b = Route53Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(s.requestTimeout())
            .socketTimeout(s.requestTimeout()).build())
        .region(Region.of(s.region()))
        .credentialsProvider(context.awsCredentials().orElseGet(() -> DefaultCredentialsProvider.builder().build()))
        // retries are ours (budgeted, breaker-aware); the SDK must not retry behind our back
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(s.requestTimeout()));
    s.endpoint().ifPresent(b::endpointOverride);
    return new Route53Provider(dns, s, b.build(), context.clock(), context.events());
  }

  public Route53Provider(DnsConfig dns, Route53 settings, Route53Client client, Clock clock,
      Consumer<ProviderEvent> events) {
    this.dns = dns;
    this.settings = settings;
    this.client = client;
    this.clock = clock;
    this.sets = new RecordSets(dns, settings.fencingTtl());
    String account = "route53 " + settings.endpoint().map(Object::toString).orElse("aws");
    this.calls = new ResilientCalls(NAME, RequestBudget.shared(account, settings.requestsPerSecond()),
        new ResilientCalls.Settings(settings.maxAttempts(), new Backoff(settings.backoffBase(), settings.backoffMax()),
            settings.breakerFailures(), settings.breakerOpenFor()),
        new Route53Errors(settings.endpoint(), dns.zone()), clock, events);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletableFuture<ProviderHealth> check() {
    return calls.check(zone(), Route53Provider::asProviderException, this::health);
  }

  /** The hosted zone id: configured (and checked to be dns.zone) or looked up by name, once. */
  private CompletableFuture<String> zone() {
    String known = zoneId.get();
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> running = zoneLookup.compareAndExchange(null, mine);
    if (running != null) {
      return running; // concurrent callers share one lookup
    }
    lookupZone().whenComplete((id, error) -> {
      zoneLookup.set(null); // a failed lookup is tried again by the next caller
      if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(id);
      }
    });
    return mine;
  }

  private CompletableFuture<String> lookupZone() {
    String wanted = dns.zone() + ".";
    CompletableFuture<String> found;
    if (settings.hostedZoneId().isPresent()) {
      String id = settings.hostedZoneId().get();
      found = calls.call("GetHostedZone", () -> client.getHostedZone(r -> r.id(id)).hostedZone()).thenApply(z -> {
        if (!RecordSets.normalize(z.name()).equals(dns.zone())) {
          throw new DnsProviderException("unknown zone: dns.route53.hostedZoneId " + id + " is the zone '"
              + RecordSets.normalize(z.name()) + "', not dns.zone '" + dns.zone() + "'; fix one of them", false);
        }
        return id;
      });
    } else {
      found = calls.call("ListHostedZonesByName", () -> client.listHostedZonesByName(r -> r.dnsName(wanted)
          .maxItems("10")).hostedZones()).thenApply(zones -> {
            List<HostedZone> named = zones.stream().filter(z -> RecordSets.normalize(z.name()).equals(dns.zone()))
                .toList();
            if (named.isEmpty()) {
              throw new DnsProviderException("unknown zone: this AWS account has no hosted zone named " + dns.zone()
                  + "; create it, or fix dns.zone, or set dns.route53.hostedZoneId", false);
            }
            if (named.size() > 1) {
              throw new DnsProviderException("dns.zone " + dns.zone() + " names " + named.size() + " hosted zones"
                  + " (public and private?); set dns.route53.hostedZoneId to the one to steer", false);
            }
            return named.get(0).id().replace("/hostedzone/", "");
          });
    }
    return found.thenApply(id -> {
      zoneId.compareAndSet(null, id);
      return id;
    });
  }

  @Override
  public CompletableFuture<ZoneSnapshot> read() {
    return zone().thenCompose(id -> listAll(id, null, null, null, new ArrayList<>())).thenApply(sets::snapshot);
  }

  private CompletableFuture<List<ResourceRecordSet>> listAll(String id, String name, RRType type, String ident,
      List<ResourceRecordSet> acc) {
    return calls.call("ListResourceRecordSets", () -> client.listResourceRecordSets(r -> r.hostedZoneId(id)
        .startRecordName(name).startRecordType(type).startRecordIdentifier(ident))).thenCompose(page -> {
          acc.addAll(page.resourceRecordSets());
          return Boolean.TRUE.equals(page.isTruncated())
              ? listAll(id, page.nextRecordName(), page.nextRecordType(), page.nextRecordIdentifier(), acc)
              : CompletableFuture.completedFuture(acc);
        });
  }

  /** The fencing set as Route 53 holds it now (one small request, within the change's window). */
  private CompletableFuture<Optional<ResourceRecordSet>> fencing(String id, ChangeWindow window) {
    return calls.call("ListResourceRecordSets", window, () -> client.listResourceRecordSets(r -> r.hostedZoneId(id)
        .startRecordName(sets.fencingName() + ".").startRecordType(RRType.TXT).maxItems("1")
        .overrideConfiguration(o -> bounded(o, window))))
        .thenApply(ListResourceRecordSetsResponse::resourceRecordSets).thenApply(sets::fencing);
  }

  /** One attempt gets at most the request timeout, and never more than what is left of its window. */
  private void bounded(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder o, ChangeWindow window) {
    Duration t = window.left(settings.requestTimeout());
    if (t.compareTo(settings.requestTimeout()) < 0) {
      Duration attempt = t.isZero() ? Duration.ofMillis(1) : t;
      o.apiCallAttemptTimeout(attempt).apiCallTimeout(attempt);
    }
  }

  @Override
  public ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    PlanRules.check(dns, desired);
    return ChangePlan.between(desired, actual);
  }

  @Override
  public CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token, ChangeWindow window) {
    return FencingChecks.basis(NAME, closed.get(), plan, token, lastAccepted.get()).thenCompose(basis ->
        zone().thenCompose(id -> fencing(id, window).thenCompose(current -> {
      // our own check before sending: Route 53 enforces the same with the exact-match DELETE
      FencingToken held = current.flatMap(RecordSets::token).orElse(FencingToken.NONE);
      if (current.isPresent() && RecordSets.token(current.get()).isEmpty()) {
        throw new DnsProviderException("the fencing record " + sets.fencingName() + " does not hold a token;"
            + " restore it by hand (TXT \"term:index\" of the last applied decision) before Pharos changes DNS", false);
      }
      FencingChecks.checkHeld(held, token, basis);
      var changes = sets.batch(plan, token, current);
      String comment = "pharos " + token + ": " + plan.size() + " record sets";
      return calls.call("ChangeResourceRecordSets", window, () -> client.changeResourceRecordSets(r -> r
          .hostedZoneId(id).changeBatch(b -> b.comment(comment).changes(changes))
          .overrideConfiguration(o -> bounded(o, window))).changeInfo())
          .handle((info, error) -> {
            if (error == null) {
              statusAtApply.put(info.id(), info.status());
              lastAccepted.accumulateAndGet(token, (a, b) -> a.compareTo(b) >= 0 ? a : b);
              LOG.info("route53 change {} ({}) for zone {} under token {}: {}", info.id(), info.status(), dns.zone(),
                  token, plan.describe().replace('\n', ';'));
              return CompletableFuture.completedFuture(
                  new ApplyResult(token, info.id(), clock.instant(), plan.weightsAfter()));
            }
            return rejected(id, plan, token, basis, asProviderException(error), window);
          }).thenCompose(f -> f);
    })));
  }

  /** A refused DELETE of the fencing set is a fencing conflict, unless an earlier attempt of ours won. */
  private CompletableFuture<ApplyResult> rejected(String id, ChangePlan plan, FencingToken token, ZoneSnapshot basis,
      DnsProviderException error, ChangeWindow window) {
    if (!(error instanceof InvalidChangeException invalid) || !Route53Errors.isFencingMismatch(invalid,
        sets.fencingName())) {
      return CompletableFuture.failedFuture(error);
    }
    return fencing(id, window).thenApply(now -> {
      if (now.flatMap(RecordSets::token).filter(token::equals).isPresent() && !token.equals(basis.token())) {
        LOG.warn("route53 refused the fencing swap but the record already holds {}: an earlier attempt whose answer"
            + " was lost was applied; INSYNC of that change is not confirmed", token);
        return new ApplyResult(token, "unknown-change", clock.instant(), plan.weightsAfter());
      }
      throw new FencingRejectedException(token, basis.token(), invalid.getMessage());
    });
  }

  @Override
  public CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline) {
    String id = result.changeId();
    if (statusAtApply.remove(id) == ChangeStatus.INSYNC || "unknown-change".equals(id)) {
      return CompletableFuture.completedFuture(null);
    }
    Instant until = clock.instant().plus(deadline);
    return poll(id, until, deadline, Duration.ofMillis(Math.min(settings.pollInterval().toMillis(),
        deadline.toMillis())));
  }

  private CompletableFuture<Void> poll(String id, Instant until, Duration deadline, Duration wait) {
    return calls.later(wait, () -> calls.call("GetChange", () -> client.getChange(r -> r.id(id)).changeInfo()))
        .thenCompose(info -> {
          if (info.status() == ChangeStatus.INSYNC) {
            return CompletableFuture.<Void>completedFuture(null);
          }
          Duration left = Duration.between(clock.instant(), until);
          if (left.isNegative() || left.isZero()) {
            String detail = "Route 53 still reports " + info.status() + " for zone " + dns.zone()
                + "; resolvers may answer the old records; check the AWS Health Dashboard and GetChange " + id;
            calls.event(Severity.CRITICAL, ProviderEvent.INSYNC_DEADLINE, "change " + id + " not INSYNC after "
                + deadline + ": " + detail);
            return CompletableFuture.<Void>failedFuture(new InsyncDeadlineException(id, deadline, detail));
          }
          return poll(id, until, deadline, left.compareTo(settings.pollInterval()) < 0 ? left
              : settings.pollInterval());
        });
  }

  @Override
  public ProviderHealth health() {
    Map<String, Long> counters = calls.counters();
    String breaker = calls.breakerState().name();
    if (closed.get()) {
      return new ProviderHealth(ProviderHealth.State.DOWN, "route53 provider is closed", breaker, counters);
    }
    String problem = calls.checkProblem();
    return switch (calls.breakerState()) {
      case OPEN, FORCED_OPEN -> new ProviderHealth(ProviderHealth.State.DOWN, "Route 53 circuit breaker is open"
          + " (last failure: " + calls.lastFailure() + "); changes wait for a successful trial call", breaker, counters);
      case HALF_OPEN -> new ProviderHealth(ProviderHealth.State.DEGRADED, "Route 53 circuit breaker is half-open:"
          + " a trial call decides", breaker, counters);
      default -> problem != null ? new ProviderHealth(ProviderHealth.State.DOWN, problem, breaker, counters)
          : new ProviderHealth(ProviderHealth.State.UP, "Route 53 zone " + dns.zone()
              + (zoneId.get() == null ? " (not checked yet)" : " (" + zoneId.get() + ")"), breaker, counters);
    };
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      calls.close();
      client.close();
    }
  }

  private static DnsProviderException asProviderException(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof DnsProviderException d ? d
        : new DnsProviderException("route53: " + t.getClass().getSimpleName() + ": " + t.getMessage(), false, t);
  }
}
