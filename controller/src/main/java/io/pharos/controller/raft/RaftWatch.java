package io.pharos.controller.raft;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every 250 ms: keeps the Raft channels out of gRPC's reconnect backoff ({@link PeerBackoff}), and
 * notices when this controller's Raft replica has stopped. A controller without its Raft server
 * must not keep serving the zone. {@code onHalted} runs once when the replica stopped at a
 * committed entry it cannot apply ({@link RaftJournal#halted}: a restart would stop at the same
 * entry; a person must act); otherwise {@code onClosed} runs once when Ratis has closed the server
 * for another reason (a very long pause, a storage error), after which a restart recovers from
 * storage.
 */
public final class RaftWatch implements AutoCloseable {
  static final long PERIOD_MS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(RaftWatch.class);

  private final RaftJournal raft;
  private final ErrorCounter errors;
  private final Runnable onClosed;
  private final java.util.function.Consumer<String> onHalted;
  private final ScheduledExecutorService thread = DaemonThreads.single("pharos-raft-watch");
  private boolean reported;

  public RaftWatch(RaftJournal raft, ErrorCounter errors, Runnable onClosed,
      java.util.function.Consumer<String> onHalted) {
    this.raft = raft;
    this.errors = errors;
    this.onClosed = onClosed;
    this.onHalted = onHalted;
  }

  public RaftWatch start() {
    thread.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    try {
      raft.resetPeerBackoff();
      if (reported) {
        return;
      }
      var halted = raft.halted();
      if (halted.isPresent()) {
        reported = true;
        onHalted.accept(halted.get());
      } else if (raft.closed()) {
        reported = true;
        onClosed.run();
      }
    } catch (RuntimeException e) {
      // thrown out of the task, it would cancel every later check
      errors.record(LOG, "raft.watch", "the Raft watch failed; continuing", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
