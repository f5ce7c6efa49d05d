package io.pharos.controller.failover;

import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Journal;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every region's mode with its token: at once when an intent is fenced, and again
 * every third of the mode lease so that agents keep trusting it. Renewals run on their own thread:
 * a slow DNS provider must never let the write primary's lease run out and self-fence. Only the
 * acting leader renews; a renewal the store refuses for a newer token is logged and counted, and
 * the next one is tried only if this controller still is the acting leader then.
 */
public final class ModeRenewer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModeRenewer.class);

  private final Clock clock;
  private final Journal journal;
  private final ModeStore modes;
  private final ActionLog actions;
  private final ErrorCounter errors;
  private final long renewMs;
  private final ScheduledExecutorService executor = DaemonThreads.single("pharos-mode-renew");
  private volatile long lastLoggedTerm = -1;

  public ModeRenewer(Clock clock, Journal journal, ModeStore modes, ActionLog actions, ErrorCounter errors,
      long modeLeaseMs) {
    this.clock = clock;
    this.journal = journal;
    this.modes = modes;
    this.actions = actions;
    this.errors = errors;
    this.renewMs = Math.max(1_000, modeLeaseMs / 3);
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::renew, 200, renewMs, TimeUnit.MILLISECONDS);
  }

  /** Publishes the journal's modes soon, on the renewal thread (after an operator changed one). */
  public void renewSoon() {
    try {
      executor.execute(this::renew);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      LOG.debug("not renewing modes: closed");
    }
  }

  /** One renewal: publishes the journal's modes if this controller is the acting leader. Never throws. */
  void renew() {
    try {
      long term = journal.term();
      if (journal.isActingLeader()) {
        publish(journal.state(), null, term);
      }
    } catch (ModeStore.StaleLeaderException e) {
      errors.count("modes.stale-leader");
      LOG.warn("stopped renewing modes: {}", e.getMessage());
    } catch (Throwable t) {
      errors.count("modes.renew");
      LOG.error("mode renewal failed; will retry", t);
    }
  }

  /**
   * Publishes the modes of {@code state}; the decision it fences, if any, goes in the action log
   * with {@code term}, the term this controller led in when it decided to act.
   * Renewals are logged once per term (the first one is what a deposed leader could repeat).
   *
   * @throws ModeStore.StaleLeaderException when the store holds a newer token
   * @throws ModeStore.DataPlaneException when the store failed or did not answer in time
   */
  public void publish(ControlState state, String decisionId, long term) {
    try {
      modes.publish(state, term);
    } catch (ModeStore.StaleLeaderException e) {
      actions.record(clock.millis(), "publish-modes", term, decisionId, state.lastToken().toString(),
          "stale: " + e.getMessage());
      throw e;
    } catch (ModeStore.DataPlaneException e) {
      actions.record(clock.millis(), "publish-modes", term, decisionId, state.lastToken().toString(),
          "failed: " + e.getMessage());
      throw e;
    }
    if (decisionId != null || term != lastLoggedTerm) {
      actions.record(clock.millis(), "publish-modes", term, decisionId, state.lastToken().toString(), "ok");
      lastLoggedTerm = term;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
