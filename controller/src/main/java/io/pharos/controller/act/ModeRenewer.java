package io.pharos.controller.act;

import io.pharos.controller.quorum.PharosStateMachine;
import io.pharos.controller.quorum.RaftQuorum;
import io.pharos.core.journal.ControlState;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every region's mode with its token: at once when an intent is fenced, and again
 * every third of the mode lease so that agents keep trusting it. Renewals run on their own thread:
 * a slow DNS provider must never let the write primary's lease run out and self-fence.
 */
public final class ModeRenewer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModeRenewer.class);

  private final Clock clock;
  private final RaftQuorum quorum;
  private final PharosStateMachine journal;
  private final ModePublisher modes;
  private final ActionLog actions;
  private final long renewMs;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pharos-mode-renew");
    t.setDaemon(true);
    return t;
  });
  private volatile long lastLoggedTerm = -1;

  public ModeRenewer(Clock clock, RaftQuorum quorum, PharosStateMachine journal, ModePublisher modes,
      ActionLog actions, long modeLeaseMs) {
    this.clock = clock;
    this.quorum = quorum;
    this.journal = journal;
    this.modes = modes;
    this.actions = actions;
    this.renewMs = Math.max(1_000, modeLeaseMs / 3);
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::renew, 200, renewMs, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    try {
      long term = quorum.term();
      if (quorum.isActingLeader()) {
        publish(journal.state(), null, term);
      }
    } catch (ModePublisher.StaleLeaderException e) {
      LOG.warn("stopped renewing modes: {}", e.getMessage());
    } catch (Throwable t) {
      LOG.error("mode renewal failed; will retry", t);
    }
  }

  /**
   * Publishes the modes of {@code state}; the decision it fences, if any, goes in the action log
   * with {@code term}, the term this controller led in when it decided to act.
   * Renewals are logged once per term (the first one is what a deposed leader could repeat).
   *
   * @throws ModePublisher.StaleLeaderException when the map holds a newer token
   */
  public void publish(ControlState state, String decisionId, long term) {
    try {
      modes.publish(state);
    } catch (ModePublisher.StaleLeaderException e) {
      actions.record(clock.millis(), "publish-modes", term, decisionId, state.lastToken().toString(),
          "stale: " + e.getMessage());
      throw e;
    } catch (ModePublisher.DataPlaneException e) {
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
