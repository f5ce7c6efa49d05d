package io.pharos.dns.rfc2136;

import io.pharos.core.config.DnsConfig;
import io.pharos.core.config.ProviderSettings.Rfc2136;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.model.FencingToken;
import io.pharos.dns.ApplyResult;
import io.pharos.dns.ChangePlan;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.DnsProviderContext;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.FencingChecks;
import io.pharos.dns.FencingRejectedException;
import io.pharos.dns.InvalidChangeException;
import io.pharos.dns.PlanRules;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.ProviderHealth;

import io.pharos.dns.ZoneSnapshot;
import io.pharos.dns.resilience.Backoff;
import io.pharos.dns.resilience.RequestBudget;
import io.pharos.dns.resilience.ResilientCalls;
import io.pharos.dns.resilience.ResilientCalls.Failure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * RFC 2136 dynamic update with TSIG against a primary name server (BIND 9, Knot). Every update
 * carries a prerequisite that the fencing TXT {@code _pharos.<zone>} holds exactly the token the
 * plan was made against, so the server itself refuses a deposed writer's update as a whole
 * (NXRRSET) — besides the same check made before sending. Reads and updates go over TCP, signed,
 * on the provider's own threads; retries, a small budget and a breaker as for Route 53.
 */
public final class Rfc2136Provider implements DnsProvider {
  public static final String NAME = "rfc2136";
  private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Provider.class);
  private static final int OPERATIONS_PER_SECOND = 20;

  private final DnsConfig dns;
  private final Rfc2136 settings;
  private final Rfc2136Records records;
  private final SimpleResolver resolver;
  private final ResilientCalls calls;
  private final Clock clock;
  private final AtomicReference<FencingToken> lastAccepted = new AtomicReference<>(FencingToken.NONE);
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @throws DnsProviderException when the TSIG secret is missing or malformed (names the variable)
   */
  public static Rfc2136Provider create(DnsConfig dns, DnsProviderContext context) {
    Rfc2136 s = dns.settings().rfc2136().orElseThrow(() -> new DnsProviderException("dns.rfc2136 is required for"
        + " provider rfc2136 (server, tsigKeyName, tsigKeyEnv)", false));
    return new Rfc2136Provider(dns, s, TsigKeys.fromEnv(s, context.env()), context.clock(), context.events());
  }

  public Rfc2136Provider(DnsConfig dns, Rfc2136 settings, TSIG key, Clock clock, Consumer<ProviderEvent> events) {
    this.dns = dns;
    this.settings = settings;
    this.clock = clock;
    this.records = new Rfc2136Records(dns, settings.fencingTtl());
    this.resolver = new SimpleResolver(new InetSocketAddress(settings.server().host(), settings.server().port()));
    resolver.setTCP(true);
    resolver.setTimeout(settings.timeout());
    resolver.setTSIGKey(key);
    this.calls = new ResilientCalls(NAME, RequestBudget.shared("rfc2136 " + settings.server(), OPERATIONS_PER_SECOND),
        new ResilientCalls.Settings(3, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), 5,
            Duration.ofSeconds(30)), new Errors(), clock, events);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletableFuture<ProviderHealth> check() {
    return calls.check(calls.call("check", () -> {
      Message answer = query(records.zone(), Type.SOA);
      boolean authoritative = answer.getHeader().getFlag(Flags.AA)
          && answer.getSection(Section.ANSWER).stream().anyMatch(r -> r instanceof SOARecord);
      if (answer.getRcode() != Rcode.NOERROR || !authoritative) {
        throw new DnsProviderException("unknown zone: " + settings.server() + " is not authoritative for "
            + dns.zone() + " (" + Rcode.string(answer.getRcode()) + (authoritative ? "" : ", no authoritative SOA")
            + "); check dns.zone and the server's zone statement", false);
      }
      return answer;
    }), Rfc2136Provider::unwrap, this::health);
  }

  @Override
  public CompletableFuture<ZoneSnapshot> read() {
    return calls.call("read", () -> {
      Map<String, Rfc2136Records.Served> served = new HashMap<>();
      for (RecordConfig rc : dns.records()) {
        List<Record> rrset = answers(query(Rfc2136Records.name(rc.name()), Type.value(rc.type())),
            Type.value(rc.type()));
        List<Record> w = answers(query(Rfc2136Records.weightsName(rc), Type.TXT), Type.TXT);
        served.put(rc.name(), new Rfc2136Records.Served(
            new java.util.TreeSet<>(rrset.stream().map(Rfc2136Records::value).toList()),
            rrset.isEmpty() ? 0 : rrset.get(0).getTTL(),
            w.isEmpty() ? Optional.empty() : Optional.of(((TXTRecord) w.get(0)).getStrings())));
      }
      List<Record> soa = answers(query(records.zone(), Type.SOA), Type.SOA);
      long serial = soa.isEmpty() ? 0 : ((SOARecord) soa.get(0)).getSerial();
      return records.snapshot(served, fencingRrset(), serial);
    });
  }

  @Override
  public ChangePlan plan(Map<String, Map<String, Integer>> desired, ZoneSnapshot actual) {
    PlanRules.check(dns, desired);
    return ChangePlan.between(desired, actual);
  }

  @Override
  public CompletableFuture<ApplyResult> apply(ChangePlan plan, FencingToken token, ChangeWindow window) {
    // an attempt takes at most dns.rfc2136.timeout (the resolver's): the window is checked before each
    return FencingChecks.basis(NAME, closed.get(), plan, token, lastAccepted.get()).thenCompose(basis ->
        calls.call("update", window, () -> {
      List<Record> heldRrset = fencingRrset();
      Optional<FencingToken> held = Rfc2136Records.token(heldRrset);
      if (held == null) {
        throw new DnsProviderException("the fencing record " + records.fencing() + " does not hold one token;"
            + " restore it by hand (TXT \"term:index\" of the last applied decision)", false);
      }
      // our own check before sending; the server enforces the same with the prerequisite
      FencingToken now = held.orElse(FencingToken.NONE);
      FencingChecks.checkHeld(now, token, basis);
      return send(plan, token, heldRrset, basis);
    })).thenApply(result -> {
      lastAccepted.accumulateAndGet(token, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      return result;
    });
  }

  /** Sends the update; runs on a worker thread. */
  private ApplyResult send(ChangePlan plan, FencingToken token, List<Record> held, ZoneSnapshot basis)
      throws IOException {
    Update update = records.update(plan, token, held);
    Message response = resolver.send(update);
    int rcode = response.getRcode();
    checkSigned(response, "update");
    if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET) {
      Optional<FencingToken> nowHeld = Rfc2136Records.token(fencingRrset());
      if (nowHeld != null && nowHeld.filter(token::equals).isPresent() && !token.equals(basis.token())) {
        LOG.warn("rfc2136 prerequisite failed but the fencing record holds {} already: an earlier attempt whose"
            + " answer was lost was applied", token);
      } else {
        throw new FencingRejectedException(token, basis.token(), settings.server() + " answered "
            + Rcode.string(rcode) + " to the prerequisite");
      }
    } else if (rcode == Rcode.NOTZONE || rcode == Rcode.FORMERR) {
      throw new InvalidChangeException(settings.server() + " rejected the update for zone " + dns.zone() + " as"
          + " invalid (" + Rcode.string(rcode) + ")", null);
    } else if (rcode == Rcode.REFUSED) {
      throw new DnsProviderException(settings.server() + " refused the update (REFUSED): the zone statement for "
          + dns.zone() + " needs allow-update { key \"" + settings.tsigKeyName() + "\"; } (or an update-policy"
          + " granting it)", false);
    } else if (rcode != Rcode.NOERROR) {
      throw new Rfc2136Failure(settings.server() + " answered " + Rcode.string(rcode) + " to the update",
          rcode == Rcode.SERVFAIL);
    }
    LOG.info("rfc2136 update of zone {} under token {}: {}", dns.zone(), token, plan.describe().replace('\n', ';'));
    return new ApplyResult(token, "update-" + token, clock.instant(), plan.weightsAfter());
  }

  @Override
  public CompletableFuture<Void> awaitLive(ApplyResult result, Duration deadline) {
    long until = clock.millis() + deadline.toMillis();
    return awaitToken(result.token(), until, deadline);
  }

  /** The primary applies an update before answering; live once it serves the token (or a newer one). */
  private CompletableFuture<Void> awaitToken(FencingToken token, long until, Duration deadline) {
    return calls.call("awaitLive", () -> Rfc2136Records.token(fencingRrset())).thenCompose(held -> {
      if (held != null && held.isPresent() && held.get().compareTo(token) >= 0) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (clock.millis() >= until) {
        return CompletableFuture.<Void>failedFuture(new DnsProviderException("update with token " + token
            + " is not served by " + settings.server() + " after " + deadline, true));
      }
      return calls.later(Duration.ofMillis(100), () -> awaitToken(token, until, deadline));
    });
  }

  @Override
  public ProviderHealth health() {
    Map<String, Long> counters = calls.counters();
    String breaker = calls.breakerState().name();
    if (closed.get()) {
      return new ProviderHealth(ProviderHealth.State.DOWN, "rfc2136 provider is closed", breaker, counters);
    }
    String problem = calls.checkProblem();
    return switch (calls.breakerState()) {
      case OPEN, FORCED_OPEN -> new ProviderHealth(ProviderHealth.State.DOWN, "circuit breaker for "
          + settings.server() + " is open (last failure: " + calls.lastFailure() + ")", breaker, counters);
      case HALF_OPEN -> new ProviderHealth(ProviderHealth.State.DEGRADED, "circuit breaker for " + settings.server()
          + " is half-open", breaker, counters);
      default -> problem != null ? new ProviderHealth(ProviderHealth.State.DOWN, problem, breaker, counters)
          : new ProviderHealth(ProviderHealth.State.UP, "zone " + dns.zone() + " on " + settings.server(), breaker,
              counters);
    };
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      calls.close();
    }
  }

  private List<Record> fencingRrset() throws IOException {
    return answers(query(records.fencing(), Type.TXT), Type.TXT);
  }

  /** A signed query over TCP; blocking (worker threads only). */
  private Message query(Name name, int type) throws IOException {
    Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    checkSigned(response, "query");
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && type != Type.SOA) {
      throw new Rfc2136Failure(settings.server() + " answered " + Rcode.string(rcode) + " to a query for " + name
          + " " + Type.string(type), rcode == Rcode.SERVFAIL);
    }
    return response;
  }

  private static List<Record> answers(Message m, int type) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
  }

  /** dnsjava does not throw on TSIG trouble: look at the rcode, the TSIG error and verification. */
  private void checkSigned(Message response, String what) {
    TSIGRecord tsig = response.getTSIG();
    int tsigError = tsig == null ? Rcode.NOERROR : tsig.getError();
    if (response.getRcode() == Rcode.NOTAUTH || tsigError != Rcode.NOERROR || !response.isVerified()) {
      String reason = tsigError != Rcode.NOERROR ? Rcode.TSIGstring(tsigError)
          : response.getRcode() == Rcode.NOTAUTH ? "NOTAUTH" : "response not signed with the key";
      throw new DnsProviderException(settings.server() + " did not accept TSIG key '" + settings.tsigKeyName() + "' ("
          + reason + ") for the " + what + ": the secret in " + settings.tsigKeyEnv() + " or the algorithm "
          + settings.tsigAlgorithm() + " differs from the server's key statement (or the key is unknown there);"
          + " fix dns.rfc2136.tsigKeyName/tsigKeyEnv/tsigAlgorithm or the server's named.conf", false);
    }
  }

  private static DnsProviderException unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof DnsProviderException d ? d : new DnsProviderException(String.valueOf(t.getMessage()), false, t);
  }

  /** A server answer that is neither success nor one of the named refusals. */
  private static final class Rfc2136Failure extends DnsProviderException {
    Rfc2136Failure(String message, boolean retryable) {
      super(message, retryable);
    }
  }

  private final class Errors implements ResilientCalls.Classifier {
    @Override
    public Failure classify(Throwable error) {
      Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (t instanceof Rfc2136Failure f) {
        return f.retryable() ? Failure.TRANSIENT : Failure.PERMANENT;
      }
      return t instanceof IOException ? Failure.TRANSIENT : Failure.PERMANENT;
    }

    @Override
    public DnsProviderException explain(String operation, Throwable error, int attempts) {
      Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (t instanceof DnsProviderException d) {
        return d;
      }
      return new DnsProviderException("name server " + settings.server() + " is unreachable"
          + (attempts > 1 ? " after " + attempts + " attempts" : "") + " during " + operation + " ("
          + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + "); check dns.rfc2136.server and that the server listens on TCP", true, t);
    }
  }
}
