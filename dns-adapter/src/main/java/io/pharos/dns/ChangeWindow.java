package io.pharos.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time a DNS change may take and the say-so to go on with it. Once the window is closed —
 * cancelled by its owner (the leader aborts the decision, loses its lease) or past its deadline —
 * no attempt of the change is sent any more, and an attempt is never given longer than the time
 * left ({@link #left}). An attempt already on the wire may still land: the caller reconciles that
 * (the periodic pass puts a change that landed after its decision was aborted back).
 *
 * <p>Thread-safe. Time comes from the owner's clock.
 */
public final class ChangeWindow {
  private static final ChangeWindow UNBOUNDED = new ChangeWindow(null, Instant.MAX);

  private final Clock clock;
  private final Instant deadline;
  private final AtomicReference<String> cancelled = new AtomicReference<>();

  private ChangeWindow(Clock clock, Instant deadline) {
    this.clock = clock;
    this.deadline = deadline;
  }

  /** A window that closes at {@code clock.instant() + length}. */
  public static ChangeWindow of(Clock clock, Duration length) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a change window must be positive, was " + length);
    }
    return new ChangeWindow(clock, clock.instant().plus(length));
  }

  /** No deadline, never cancelled: for calls outside a decision (tools, tests, the CLI). */
  public static ChangeWindow unbounded() {
    return UNBOUNDED;
  }

  /** Closes the window: no attempt is sent from now on. Idempotent (the first reason stays). */
  public void cancel(String why) {
    if (this == UNBOUNDED) {
      throw new IllegalStateException("the unbounded change window cannot be cancelled; give the change its own");
    }
    cancelled.compareAndSet(null, why);
  }

  /** Whether an attempt may still be sent. */
  public boolean open() {
    return closedBecause().isEmpty();
  }

  /** Why no attempt may be sent any more, or empty while the window is open. */
  public Optional<String> closedBecause() {
    String why = cancelled.get();
    if (why != null) {
      return Optional.of("cancelled: " + why);
    }
    if (clock != null && !clock.instant().isBefore(deadline)) {
      return Optional.of("its deadline " + deadline + " passed");
    }
    return Optional.empty();
  }

  /** Whether the window was cancelled (not merely timed out). */
  public boolean cancelled() {
    return cancelled.get() != null;
  }

  /** Time left until the deadline (zero once closed); {@code cap} for an unbounded window. */
  public Duration left(Duration cap) {
    if (!open()) {
      return Duration.ZERO;
    }
    if (clock == null) {
      return cap;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    return left.compareTo(cap) < 0 ? left : cap;
  }

  /** When the window closes by itself; {@link Instant#MAX} for an unbounded one. */
  public Instant deadline() {
    return deadline;
  }

  /** The failure of an attempt the window no longer allows. */
  public DnsProviderException closed(String provider, String operation) {
    return new WindowClosedException(provider + " " + operation + " not sent: the change's window is closed ("
        + closedBecause().orElse("closed") + ")");
  }

  /** An attempt was not sent because its change's window had closed. */
  public static final class WindowClosedException extends DnsProviderException {
    WindowClosedException(String message) {
      super(message, false);
    }
  }

  @Override
  public String toString() {
    return closedBecause().map(w -> "closed (" + w + ")").orElse(this == UNBOUNDED ? "unbounded" : "open until "
        + deadline);
  }
}
