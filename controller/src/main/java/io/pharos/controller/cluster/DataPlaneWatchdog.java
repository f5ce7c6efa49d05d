package io.pharos.controller.cluster;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ControllerMetrics;
import io.pharos.controller.metrics.ErrorCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this controller's Hazelcast member: every {@code interval} it runs a probe (a bounded
 * write the member must answer itself, see {@link LocalPartitionProbe}); when probes have failed
 * without a break for {@code wedgedAfter} (and at least {@link #MIN_FAILED_PROBES} in a row), the
 * member is declared wedged and {@code onWedged} runs — in the controller, an exit so that the
 * supervisor restarts it, as it already does when its Raft server closes.
 *
 * <p>Why: a member can stay up with its partition table stuck (seen after a partition followed by
 * a long SIGSTOP of the same member: a partition promotion retried against itself without end),
 * and while it does, map writes to the partitions it owns hang on every member, so the Raft leader
 * cannot publish read-only mode and cannot fence. Restarting the wedged member moves its
 * partitions to the others; restarting any other member would not help, which is why the probe
 * writes to a partition this member owns.
 *
 * <p>A single slow probe is not a wedge: a probe in flight when the process was frozen fails when
 * it resumes, and a split-brain merge makes a member unavailable for a few seconds. Only a failure
 * streak as long as {@code wedgedAfter} counts. {@link #tick()} is the whole decision, so tests
 * drive it with a fake clock.
 */
public final class DataPlaneWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneWatchdog.class);
  /** Failed probes in a row, at least, before a member is declared wedged. */
  public static final int MIN_FAILED_PROBES = 3;
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  static final Duration WEDGED_AFTER = Duration.ofSeconds(30);

  private final Clock clock;
  private final Duration probeTimeout;
  private final Duration wedgedAfter;
  private final Supplier<CompletionStage<?>> probe;
  private final Consumer<String> onWedged;
  private final ErrorCounter errors;
  private final ExecutorService probeThread = DaemonThreads.single("pharos-dataplane-probe");
  private final ScheduledExecutorService ticker = DaemonThreads.single("pharos-dataplane-watch");
  private CompletableFuture<?> inFlight;
  private long failingSince = -1;
  private int failedInARow;
  private String lastFailure = "";
  private volatile boolean healthy = true;
  private volatile boolean wedged;

  public DataPlaneWatchdog(Clock clock, Duration probeTimeout, Duration wedgedAfter,
      Supplier<CompletionStage<?>> probe, Consumer<String> onWedged, ErrorCounter errors) {
    this.errors = errors;
    this.clock = clock;
    this.probeTimeout = probeTimeout;
    this.wedgedAfter = wedgedAfter;
    this.probe = probe;
    this.onWedged = onWedged;
  }

  /**
   * The controller's watchdog of its own member: a probe of a partition it owns ({@link
   * LocalPartitionProbe}) every 2 s, 5 s each, wedged after 30 s of failures. Started.
   */
  public static DataPlaneWatchdog startFor(com.hazelcast.core.HazelcastInstance hz, Clock clock,
      Consumer<String> onWedged, ControllerMetrics metrics) {
    DataPlaneWatchdog w = new DataPlaneWatchdog(clock, PROBE_TIMEOUT, WEDGED_AFTER, new LocalPartitionProbe(hz),
        onWedged, metrics.errors());
    metrics.gauge("pharos.hazelcast.dataplane.up", "1 when this member answered its last data-plane probe",
        () -> w.healthy() ? 1 : 0);
    return w.start(PROBE_INTERVAL);
  }

  /** Probes every {@code interval} on its own threads (never an event loop). */
  public DataPlaneWatchdog start(Duration interval) {
    ticker.scheduleWithFixedDelay(() -> {
      try {
        tick();
      } catch (RuntimeException e) {
        errors.record(LOG, "dataplane.watchdog", "data-plane watchdog error; continuing", e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Runs (or keeps waiting for) one probe, up to the probe timeout, and decides.
   *
   * @return whether the member answered
   */
  public synchronized boolean tick() {
    if (wedged) {
      return false;
    }
    long startedAt = clock.millis();
    if (inFlight == null) {
      // the probe itself may block (a partition table being initialised): run it off this thread
      inFlight = CompletableFuture.supplyAsync(probe, probeThread).thenCompose(s -> s);
    }
    String failure;
    try {
      inFlight.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      inFlight = null;
      answered();
      return true;
    } catch (TimeoutException e) {
      failure = "no answer within " + probeTimeout.toMillis() + " ms"; // keep waiting for it next tick
    } catch (ExecutionException e) {
      inFlight = null;
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      failure = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return healthy;
    }
    failed(startedAt, failure);
    return false;
  }

  private void answered() {
    if (failingSince >= 0) {
      LOG.info("Hazelcast data plane answers again after {} ms ({} failed probes)", clock.millis() - failingSince,
          failedInARow);
    }
    failingSince = -1;
    failedInARow = 0;
    healthy = true;
  }

  private void failed(long probeStartedAt, String failure) {
    if (failingSince < 0) {
      failingSince = probeStartedAt;
      LOG.warn("Hazelcast data plane probe failed: {}", failure);
    }
    failedInARow++;
    healthy = false;
    lastFailure = failure;
    long failingFor = clock.millis() - failingSince;
    if (failedInARow >= MIN_FAILED_PROBES && failingFor >= wedgedAfter.toMillis()) {
      wedged = true;
      onWedged.accept("this controller's Hazelcast member has not answered a write to its own partition for "
          + failingFor / 1000 + " s (" + failedInARow + " probes; last: " + lastFailure + ")");
    }
  }

  /** Whether the last probe answered. */
  public boolean healthy() {
    return healthy;
  }

  /** Whether the member was declared wedged (and {@code onWedged} ran). */
  public boolean wedged() {
    return wedged;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    probeThread.shutdownNow();
  }
}
