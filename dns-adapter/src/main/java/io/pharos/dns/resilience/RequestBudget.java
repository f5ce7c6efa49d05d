package io.pharos.dns.resilience;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client-side request budget: at most {@code perSecond} requests in any window of one second
 * (a burst of {@code perSecond}, then one second after each earlier slot). A caller over the
 * budget is given a later slot instead of being refused, so calls queue in order and the
 * provider never sees more than the budget. Route 53 allows 5 requests per second per
 * account: every provider of a process talking to the same account shares one budget ({@link
 * #shared}).
 *
 * <p>Never blocks: {@link #acquire} returns a future completed on the scheduler when the slot
 * comes. Time comes from an injected nanosecond ticker, so tests drive it without sleeping.
 */
public final class RequestBudget {
  private static final Logger LOG = LoggerFactory.getLogger(RequestBudget.class);
  private static final Map<String, RequestBudget> SHARED = new ConcurrentHashMap<>();
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  /** One second and a guard, so that network jitter cannot squeeze six requests into a provider's second. */
  private static final long WINDOW = SECOND + TimeUnit.MILLISECONDS.toNanos(50);

  private final String name;
  private final int perSecond;
  private final LongSupplier nanoTicker;
  /** Slot times of the last perSecond requests, a ring; next is the oldest. */
  private final long[] slots;
  private int next;
  private long lastSlot;
  private long granted;
  private long delayed;
  private long waitedNanos;

  public RequestBudget(String name, int perSecond, LongSupplier nanoTicker) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1, was " + perSecond);
    }
    this.name = name;
    this.perSecond = perSecond;
    this.nanoTicker = nanoTicker;
    this.slots = new long[perSecond];
    java.util.Arrays.fill(slots, nanoTicker.getAsLong() - WINDOW);
    this.lastSlot = Long.MIN_VALUE;
  }

  /**
   * The one budget of {@code account} in this process (created on first use). A later caller
   * asking for another rate gets the existing budget and a warning: one account, one budget.
   */
  public static RequestBudget shared(String account, int perSecond) {
    RequestBudget b = SHARED.computeIfAbsent(account, a -> new RequestBudget(a, perSecond, System::nanoTime));
    if (b.perSecond != perSecond) {
      LOG.warn("request budget for {} is already {} requests/s; ignoring a second setting of {}", account,
          b.perSecond, perSecond);
    }
    return b;
  }

  /** Reserves the next slot; returns how long the caller must wait for it, in nanoseconds. */
  public synchronized long reserve() {
    // a sliding window: the slot of this request is at least one second after the slot of the
    // request perSecond places before it, so no window of one second ever holds more than
    // perSecond requests (a token bucket would let nearly twice that through in the first second)
    long now = nanoTicker.getAsLong();
    long slot = Math.max(now, Math.max(lastSlot, slots[next] + WINDOW));
    slots[next] = slot;
    next = (next + 1) % slots.length;
    lastSlot = slot;
    long wait = slot - now;
    granted++;
    if (wait > 0) {
      delayed++;
      waitedNanos += wait;
    }
    return wait;
  }

  /** Completes when the caller may send its request. */
  public CompletableFuture<Void> acquire(ScheduledExecutorService scheduler) {
    long wait = reserve();
    if (wait == 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> slot = new CompletableFuture<>();
    scheduler.schedule(() -> slot.complete(null), wait, TimeUnit.NANOSECONDS);
    return slot;
  }

  public String name() {
    return name;
  }

  public int perSecond() {
    return perSecond;
  }

  /** Requests let through, how many had to wait, and the total wait in milliseconds. */
  public synchronized Map<String, Long> counters() {
    return Map.of("budget_granted", granted, "budget_delayed", delayed, "budget_waited_ms", waitedNanos / 1_000_000);
  }
}
