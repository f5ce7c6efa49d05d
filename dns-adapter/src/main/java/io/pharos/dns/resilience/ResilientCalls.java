package io.pharos.dns.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.pharos.dns.ChangeWindow;
import io.pharos.dns.DnsProviderException;
import io.pharos.dns.ProviderEvent;
import io.pharos.dns.ProviderEvent.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a provider's blocking API calls off the caller's thread with the three guards every
 * attempt goes through: the request budget (wait for a slot), the circuit breaker (fail fast
 * while open), and retries with capped exponential backoff and jitter for transient failures
 * (throttling, 5xx, unreachable). Permanent failures (invalid input, missing credentials) fail
 * at once. The breaker counts outages only (5xx, timeouts, unreachable): a throttled or refused
 * call was answered by a provider that is up. Counters and breaker state are readable for
 * metrics and readiness.
 *
 * <p>A call made within a {@link ChangeWindow} sends no attempt once the window is closed (checked
 * before the budget wait, after it, and before every retry) and retries only while the backoff
 * leaves time in the window: cancelling a change stops its retries at once.
 */
public final class ResilientCalls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientCalls.class);
  private static final Duration THROTTLE_EVENT_EVERY = Duration.ofMinutes(1);
  /**
   * An attempt is not started with less than this left of its change's window: it could not
   * finish, and what it sends could reach the provider after the deadline.
   */
  static final Duration MIN_ATTEMPT = Duration.ofMillis(100);

  /** What a failed attempt means for retrying. */
  public enum Failure {
    /** worth retrying: the request was throttled (counted apart: it means the budget is too high) */
    THROTTLED,
    /** worth retrying: 5xx, timeout, connection refused, a prior request still running */
    TRANSIENT,
    /** retrying the same call cannot help */
    PERMANENT
  }

  /** Sorts a failure and turns it into the exception the caller sees (with a clear message). */
  public interface Classifier {
    Failure classify(Throwable error);

    /** The exception for a call that failed for good (permanent, or out of attempts). */
    DnsProviderException explain(String operation, Throwable error, int attempts);
  }

  /** Settings: attempts per call (the first one included), backoff, breaker threshold and pause. */
  public record Settings(int maxAttempts, Backoff backoff, int breakerFailures, Duration breakerOpenFor) {}

  private final String provider;
  private final RequestBudget budget;
  private final Settings settings;
  private final Classifier classifier;
  private final Clock clock;
  private final Consumer<ProviderEvent> events;
  private final CircuitBreaker breaker;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final AtomicReference<String> lastFailure = new AtomicReference<>("");
  private final AtomicReference<String> checkProblem = new AtomicReference<>();
  private final AtomicReference<Instant> lastThrottleEvent = new AtomicReference<>(Instant.EPOCH);

  public ResilientCalls(String provider, RequestBudget budget, Settings settings, Classifier classifier, Clock clock,
      Consumer<ProviderEvent> events) {
    this.provider = provider;
    this.budget = budget;
    this.settings = settings;
    this.classifier = classifier;
    this.clock = clock;
    this.events = events;
    // opens after breakerFailures consecutive failures; one trial call when the pause is over
    this.breaker = CircuitBreaker.of("pharos-dns-" + provider, CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.breakerFailures())
        .minimumNumberOfCalls(settings.breakerFailures())
        .failureRateThreshold(100)
        .waitDurationInOpenState(settings.breakerOpenFor())
        .permittedNumberOfCallsInHalfOpenState(1)
        .build());
    breaker.getEventPublisher().onStateTransition(e -> breakerMoved(e.getStateTransition().getFromState(),
        e.getStateTransition().getToState()));
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pharos-dns-" + provider + "-timer"));
    this.workers = Executors.newFixedThreadPool(2, r -> daemon(r, "pharos-dns-" + provider + "-" + n.incrementAndGet()));
  }

  /**
   * Runs {@code blocking} on a worker thread once the budget allows and the breaker permits,
   * retrying transient failures. The future fails with the classifier's explanation.
   */
  public <T> CompletableFuture<T> call(String operation, Callable<T> blocking) {
    return call(operation, ChangeWindow.unbounded(), blocking);
  }

  /**
   * As {@link #call(String, Callable)}, within {@code window}: no attempt is sent once it is
   * closed; the future then fails with the window's reason. {@code blocking} should bound its own
   * attempt by {@link ChangeWindow#left}.
   */
  public <T> CompletableFuture<T> call(String operation, ChangeWindow window, Callable<T> blocking) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(operation, window, blocking, 1, result);
    return result;
  }

  /** Runs {@code task} on the timer after {@code delay} (polling loops). */
  public <T> CompletableFuture<T> later(Duration delay, java.util.function.Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> out = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> task.get().whenComplete((v, e) -> {
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          out.complete(v);
        }
      }), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      out.completeExceptionally(new DnsProviderException(provider + " provider is closed", false, e));
    }
    return out;
  }

  private <T> void attempt(String operation, ChangeWindow window, Callable<T> blocking, int attempt,
      CompletableFuture<T> result) {
    if (!window.open()) {
      count("window_closed");
      result.completeExceptionally(window.closed(provider, operation));
      return;
    }
    if (!breaker.tryAcquirePermission()) {
      count("breaker_rejected");
      result.completeExceptionally(new DnsProviderException(provider + " " + operation + " not sent: the circuit"
          + " breaker is OPEN after " + settings.breakerFailures() + " consecutive failed calls (last: "
          + lastFailure.get() + "); a trial call goes through " + settings.breakerOpenFor() + " after it opened",
          true));
      return;
    }
    budget.acquire(scheduler).thenRunAsync(() -> run(operation, window, blocking, attempt, result), workers)
        .exceptionally(e -> {
          breaker.releasePermission();
          result.completeExceptionally(new DnsProviderException(provider + " provider is closed", false, e));
          return null;
        });
  }

  private <T> void run(String operation, ChangeWindow window, Callable<T> blocking, int attempt,
      CompletableFuture<T> result) {
    if (!window.open()) {
      // closed while this attempt waited for its budget slot: never sent
      breaker.releasePermission();
      count("window_closed");
      result.completeExceptionally(window.closed(provider, operation));
      return;
    }
    if (window.left(MIN_ATTEMPT).compareTo(MIN_ATTEMPT) < 0) {
      breaker.releasePermission();
      count("window_closed");
      result.completeExceptionally(new DnsProviderException(provider + " " + operation + " not sent: less than "
          + MIN_ATTEMPT.toMillis() + " ms of its change's window is left (it closes at " + window.deadline() + ")", true));
      return;
    }
    long start = System.nanoTime();
    count("requests");
    count("requests_" + operation);
    try {
      T value = blocking.call();
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      result.complete(value);
    } catch (Throwable error) {
      long took = System.nanoTime() - start;
      Failure kind = classifier.classify(error);
      if (kind == Failure.PERMANENT) {
        // the provider answered (or the call never left): not a sign of an outage
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        count("failed_permanent");
        result.completeExceptionally(classifier.explain(operation, error, attempt));
        return;
      }
      if (kind == Failure.THROTTLED) {
        // a throttled answer proves the provider is up: it is slowed by the budget and the backoff,
        // never by the breaker (which would hold a failover for breakerOpenFor under heavy throttling)
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      } else {
        breaker.onError(took, TimeUnit.NANOSECONDS, error);
      }
      count(kind == Failure.THROTTLED ? "throttled" : "failed_transient");
      lastFailure.set(operation + ": " + classifier.explain(operation, error, attempt).getMessage());
      if (kind == Failure.THROTTLED) {
        throttled(operation);
      }
      if (attempt >= settings.maxAttempts() || breaker.getState() == CircuitBreaker.State.OPEN) {
        result.completeExceptionally(classifier.explain(operation, error, attempt));
        return;
      }
      Duration delay = settings.backoff().delay(attempt);
      Duration needed = delay.plus(MIN_ATTEMPT); // the wait, then an attempt with room to finish
      if (window.left(needed.plusMillis(1)).compareTo(needed) <= 0) {
        count("window_closed");
        result.completeExceptionally(new DnsProviderException(provider + " " + operation + " failed (" + lastFailure.get()
            + ") and its change's window leaves no time for another attempt after " + attempt + " ("
            + window.closedBecause().orElse("it closes at " + window.deadline()) + ")", true,
            classifier.explain(operation, error, attempt)));
        return;
      }
      count("retries");
      LOG.info("{} {} attempt {} of {} failed ({}); retrying in {} ms", provider, operation, attempt,
          settings.maxAttempts(), kind, delay.toMillis());
      try {
        scheduler.schedule(() -> attempt(operation, window, blocking, attempt + 1, result), delay.toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        result.completeExceptionally(new DnsProviderException(provider + " provider is closed", false, e));
      }
    }
  }

  private void throttled(String operation) {
    Instant now = clock.instant();
    Instant last = lastThrottleEvent.get();
    if (Duration.between(last, now).compareTo(THROTTLE_EVENT_EVERY) >= 0 && lastThrottleEvent.compareAndSet(last, now)) {
      emit(Severity.WARNING, ProviderEvent.THROTTLED, provider + " throttled " + operation + " although the client"
          + " budget is " + budget.perSecond() + " requests/s: another client shares the account's limit; retrying"
          + " with backoff");
    }
  }

  private void breakerMoved(CircuitBreaker.State from, CircuitBreaker.State to) {
    count("breaker_transitions");
    if (to == CircuitBreaker.State.OPEN) {
      emit(Severity.CRITICAL, ProviderEvent.BREAKER_OPENED, provider + " circuit breaker opened (" + from + " -> OPEN)"
          + " after " + settings.breakerFailures() + " consecutive failed calls; last: " + lastFailure.get()
          + "; DNS changes wait until a trial call succeeds (first after " + settings.breakerOpenFor() + ")");
    } else if (to == CircuitBreaker.State.CLOSED) {
      emit(Severity.INFO, ProviderEvent.BREAKER_CLOSED, provider + " circuit breaker closed: calls succeed again");
    } else {
      LOG.info("{} circuit breaker {} -> {}", provider, from, to);
    }
  }

  private void emit(Severity severity, String code, String message) {
    ProviderEvent e = new ProviderEvent(clock.instant(), provider, severity, code, message);
    if (severity == Severity.INFO) {
      LOG.info("{}", e);
    } else {
      LOG.warn("{}", e);
    }
    try {
      events.accept(e);
    } catch (RuntimeException ex) {
      LOG.error("provider event listener failed for {}", code, ex);
    }
  }

  /** Counts an event that happened outside a call (for the provider's own counters). */
  public void count(String name) {
    counters.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /** Raises a provider event (logged too). */
  public void event(Severity severity, String code, String message) {
    emit(severity, code, message);
  }

  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  /**
   * A provider's zone check, its outcome kept for {@link #checkProblem()}: failed, its problem is
   * kept and (when it may pass later) raised as UNREACHABLE; passed, the problem is cleared and
   * the check answers {@code health}.
   *
   * @param asProviderError the provider's reading of a failure
   */
  public <T, H> CompletableFuture<H> check(CompletableFuture<T> check,
      Function<Throwable, DnsProviderException> asProviderError, Supplier<H> health) {
    return check.handle((ok, error) -> {
      if (error != null) {
        DnsProviderException e = asProviderError.apply(error);
        checkProblem.set(e.getMessage());
        if (e.retryable()) {
          event(Severity.CRITICAL, ProviderEvent.UNREACHABLE, e.getMessage());
        }
        throw e;
      }
      checkProblem.set(null);
      return health.get();
    });
  }

  /** Why the last zone check failed; null once one passed (or before any). */
  public String checkProblem() {
    return checkProblem.get();
  }

  /** The last transient failure, for health details; empty if none. */
  public String lastFailure() {
    return lastFailure.get();
  }

  /** Counters: requests (and per operation), retries, throttled, failures, breaker, budget. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    out.putAll(budget.counters());
    return out;
  }

  /** A small helper for classifiers: the innermost cause. */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
