package io.pharos.chaos.fault;

import io.pharos.chaos.watchdog.LeaseFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults with a lease: each is reverted when its lease runs out, when it is reverted
 * explicitly, when the injector closes, and — through the lease file a detached watchdog reads
 * — when this process dies. The lease file lists a fault <em>before</em> it is injected, so
 * there is no moment at which a fault exists that the watchdog does not know about.
 */
public final class FaultInjector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

  /** Told about every injection and revert, for the drill's timeline. */
  public interface Listener {
    void injected(Fault f, long at);

    void reverted(Fault f, long at, String why);
  }

  /** A fault that is in, and when its lease ends (epoch millis). */
  public record Active(Fault fault, long injectedAt, long expiresAt) {}

  private final Optional<LeaseFile> lease;
  private final Listener listener;
  private final Map<String, Active> active = new LinkedHashMap<>();
  private final Map<String, ScheduledFuture<?>> timers = new LinkedHashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fault-leases");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;
  private final Thread hook;

  public FaultInjector(Optional<LeaseFile> lease, Listener listener) {
    this.lease = lease;
    this.listener = listener;
    // Ctrl-C or SIGTERM: revert before the JVM goes (kill -9 is the watchdog's job)
    this.hook = new Thread(() -> revertAll("the runner is stopping"), "fault-injector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Injects {@code f} for at most {@code leaseFor}; throws if injection fails (nothing stays in). */
  public Active inject(Fault f, Duration leaseFor) {
    if (leaseFor.isNegative() || leaseFor.isZero()) {
      throw new IllegalArgumentException("a fault lease must be positive");
    }
    f.prepare();
    long now = System.currentTimeMillis();
    Active a = new Active(f, now, now + leaseFor.toMillis());
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the fault injector is closed");
      }
      if (active.containsKey(f.id())) {
        return active.get(f.id());
      }
      active.put(f.id(), a);
      publish();
    }
    Optional<String> revoked = lease.flatMap(LeaseFile::revoked);
    if (revoked.isPresent()) {
      // the watchdog has reverted this run and exited: nothing would guard this fault
      synchronized (this) {
        active.remove(f.id());
      }
      throw new IllegalStateException("not injecting " + f.id() + ": " + revoked.get());
    }
    long startedAt = System.currentTimeMillis(); // the fault begins when its injection does (SIGKILL at once)
    try {
      f.inject();
    } catch (RuntimeException e) {
      synchronized (this) {
        active.remove(f.id());
      }
      safeRevert(f);
      publish();
      throw new IllegalStateException("could not inject " + f.id() + " (" + f.describe() + "): " + e.getMessage(), e);
    }
    synchronized (this) {
      timers.put(f.id(), scheduler.schedule(() -> expire(f.id()), leaseFor.toMillis(), TimeUnit.MILLISECONDS));
      publish(); // the revert spec may name what the injection resolved (a pid)
    }
    listener.injected(f, startedAt);
    return a;
  }

  private void expire(String id) {
    Active a;
    synchronized (this) {
      a = active.get(id);
    }
    if (a != null) {
      LOG.warn("the lease of fault {} ran out after {} ms: reverting it", id, a.expiresAt() - a.injectedAt());
      revert(id, "lease expired after " + (a.expiresAt() - a.injectedAt()) / 1000.0 + " s");
    }
  }

  /** Reverts one fault; returns false when it was not in. */
  public boolean revert(String id, String why) {
    Active a;
    synchronized (this) {
      a = active.remove(id);
      ScheduledFuture<?> t = timers.remove(id);
      if (t != null) {
        t.cancel(false);
      }
    }
    if (a == null) {
      return false;
    }
    safeRevert(a.fault());
    publish();
    listener.reverted(a.fault(), System.currentTimeMillis(), why);
    return true;
  }

  /** Reverts every fault that is in, newest first. */
  public void revertAll(String why) {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(active.keySet());
    }
    java.util.Collections.reverse(ids);
    ids.forEach(id -> revert(id, why));
  }

  public synchronized List<Active> active() {
    return List.copyOf(active.values());
  }

  public synchronized Optional<Active> active(String id) {
    return Optional.ofNullable(active.get(id));
  }

  private void safeRevert(Fault f) {
    try {
      f.revert();
    } catch (RuntimeException e) {
      LOG.error("reverting {} failed: {} — the watchdog's actions: {}", f.id(), e.getMessage(),
          f.watchdogReverts().stream().map(RevertSpec::describe).toList());
      f.watchdogReverts().forEach(RevertActions::run);
    }
  }

  private void publish() {
    lease.ifPresent(l -> {
      List<LeaseFile.FaultLease> list = new ArrayList<>();
      synchronized (this) {
        for (Active a : active.values()) {
          list.add(new LeaseFile.FaultLease(a.fault().id(), a.fault().describe(), a.expiresAt(),
              a.fault().watchdogReverts()));
        }
      }
      l.faults(list);
    });
  }

  @Override
  public void close() {
    revertAll("drill finished");
    synchronized (this) {
      closed = true;
    }
    scheduler.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs already
    }
  }
}
