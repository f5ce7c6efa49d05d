package io.pharos.agent.probe;

import io.pharos.agent.Ticker;
import io.vertx.core.Vertx;

/**
 * Time as the scheduler sees it: monotonic now, and one-shot timers. Production uses Vert.x timers
 * (which fire on the context that set them); tests use a fake that records the delays asked for.
 */
public interface ProbeTimer {
  /** Monotonic milliseconds. */
  long nowMillis();

  /** Runs {@code task} after {@code delayMillis} (0 means as soon as possible); returns an id. */
  long schedule(long delayMillis, Runnable task);

  void cancel(long id);

  static ProbeTimer vertx(Vertx vertx, Ticker ticker) {
    return new ProbeTimer() {
      @Override
      public long nowMillis() {
        return ticker.millis();
      }

      @Override
      public long schedule(long delayMillis, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
