package io.pharos.controller.webhook;

import io.pharos.controller.DaemonThreads;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.FencingToken;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes every mode change to the configured receivers (R7), from the acting leader, once the
 * change is committed: it compares each applied state's modes with the tokens it has already
 * queued and queues what is newer, in token order, to every receiver. A new leader has queued
 * nothing yet, so it sends each region's current mode once; receivers keep the highest token per
 * region and ignore the rest. Modes never decided (the initial token 0:0) are not sent.
 */
public final class ModeWebhooks implements AutoCloseable {
  private final PharosConfig config;
  private final Journal journal;
  private final Clock clock;
  private final List<ReceiverQueue> receivers = new ArrayList<>();
  private final Map<String, FencingToken> queued = new HashMap<>();
  private final ScheduledExecutorService ticker = DaemonThreads.single("pharos-webhooks");
  private boolean wasLeader;

  /**
   * @param secrets receiver name to its secret ({@link WebhookSecrets#read})
   */
  public ModeWebhooks(PharosConfig config, Map<String, byte[]> secrets, Journal journal, Clock clock,
      MeterRegistry registry) {
    this.config = config;
    this.journal = journal;
    this.clock = clock;
    config.webhooks().receivers().forEach(r -> receivers.add(new ReceiverQueue(r, secrets.get(r.name()),
        config.webhooks(), journal, clock, registry)));
  }

  /** Watches the journal: after every applied entry, and every second (a leadership just won). */
  public ModeWebhooks start() {
    if (!receivers.isEmpty()) {
      // each applied entry's own state, in order on one thread: no change is skipped between two looks
      journal.onApplied(a -> {
        ControlState after = a.result().state();
        try {
          ticker.execute(() -> check(after));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          // stopping
        }
      });
      ticker.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }
    return this;
  }

  /** Queues the committed mode changes not yet queued, when this controller is the acting leader. */
  void check() {
    check(journal.state());
  }

  private synchronized void check(ControlState state) {
    boolean leader = journal.isActingLeader();
    if (!leader) {
      if (wasLeader) {
        queued.clear(); // a later leadership starts over from the state it finds
      }
      wasLeader = false;
      return;
    }
    wasLeader = true;
    List<Map.Entry<String, RegionMode>> changed = new ArrayList<>();
    state.modes().forEach((region, mode) -> {
      FencingToken held = queued.getOrDefault(region, FencingToken.NONE);
      if (mode.token().isNewerThan(held)) {
        changed.add(Map.entry(region, mode));
      }
    });
    changed.sort(Map.Entry.<String, RegionMode>comparingByValue((x, y) -> x.token().compareTo(y.token()))
        .thenComparing(Map.Entry.comparingByKey()));
    String primary = state.writePrimary(config.policy().writePrimary());
    for (Map.Entry<String, RegionMode> c : changed) {
      queued.put(c.getKey(), c.getValue().token());
      ModeChange change = new ModeChange(config.controllers().group(), config.environment(), c.getKey(),
          c.getValue(), primary, clock.millis());
      receivers.forEach(r -> r.offer(change));
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    receivers.forEach(ReceiverQueue::close);
  }
}
