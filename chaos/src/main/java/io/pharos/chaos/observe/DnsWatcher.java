package io.pharos.chaos.observe;

import io.pharos.core.config.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays a resolver: asks the name servers (or the provider's API, {@link AnswerSource}) in turn,
 * every few milliseconds, for one record and records when the answer stopped containing any of a
 * set of addresses. Like a real resolver, a name server that times out or answers SERVFAIL or
 * REFUSED is not an answer: the same question goes to the next name server, and only when none
 * answers is the resolution failed (counted; it neither counts toward nor breaks the streak).
 * "A resolver saw the new answer" is the first time {@link #CONSECUTIVE} resolutions in a row came
 * back without them. Bounded: it stops at its deadline or when closed.
 */
public final class DnsWatcher implements AutoCloseable {
  public static final int CONSECUTIVE = 20;

  private final List<AnswerSource> servers;
  private final Set<String> gone;
  private final long deadlineNanos;
  private final long intervalMs;
  private final Thread thread;
  private final AtomicLong firstWithout = new AtomicLong();
  private final AtomicLong settledAt = new AtomicLong();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;

  public DnsWatcher(List<HostPort> servers, String name, String type, Set<String> gone, Duration maxRun,
      Duration interval) {
    this(servers.stream().map(s -> AnswerSource.dns(s, name, type)).toList(), gone, maxRun, interval);
  }

  /** Asks {@code sources} in turn, each at most every {@code interval} (or its own, if longer). */
  public DnsWatcher(List<AnswerSource> sources, Set<String> gone, Duration maxRun, Duration interval) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a DNS watcher needs at least one name server or API to ask");
    }
    this.servers = List.copyOf(sources);
    this.gone = Set.copyOf(gone);
    this.deadlineNanos = System.nanoTime() + maxRun.toNanos();
    this.intervalMs = Math.max(interval.toMillis(), sources.stream().mapToLong(x -> x.interval().toMillis()).max()
        .orElse(0));
    this.thread = new Thread(this::run, "dns-watcher");
    this.thread.setDaemon(true);
  }

  public DnsWatcher start() {
    thread.start();
    return this;
  }

  /** Wall-clock millis of the first answer without the addresses, or 0. */
  public long firstWithout() {
    return firstWithout.get();
  }

  /** Wall-clock millis when {@link #CONSECUTIVE} answers in a row were without them, or 0. */
  public long settledAt() {
    return settledAt.get();
  }

  public long queries() {
    return queries.get();
  }

  /** Questions a source did not answer (timeout, SERVFAIL, REFUSED), each then asked of the next one. */
  public long failures() {
    return failures.get();
  }

  private void run() {
    int streak = 0;
    int next = 0;
    while (running && System.nanoTime() < deadlineNanos && settledAt.get() == 0) {
      Set<String> answer = resolve(next++);
      if (answer != null) {
        queries.incrementAndGet();
        boolean without = answer.stream().noneMatch(gone::contains) && !answer.isEmpty();
        long now = System.currentTimeMillis();
        if (without) {
          firstWithout.compareAndSet(0, now);
          if (++streak >= CONSECUTIVE) {
            settledAt.set(now);
          }
        } else {
          streak = 0;
        }
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * One resolution starting at the {@code first}-th source: the first source that answers, the
   * others in turn after a timeout or a failure answer; null when none answers.
   */
  private Set<String> resolve(int first) {
    for (int i = 0; i < servers.size(); i++) {
      try {
        return servers.get((first + i) % servers.size()).ask();
      } catch (IOException e) {
        failures.incrementAndGet();
      }
    }
    return null;
  }

  /** What is asked, for reports. */
  public List<String> sources() {
    return servers.stream().map(AnswerSource::label).toList();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
