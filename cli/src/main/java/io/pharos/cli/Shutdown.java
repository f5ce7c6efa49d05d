package io.pharos.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Graceful shutdown on SIGTERM/Ctrl-C: drain, then a forced exit after 30 s. */
final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
  static final long FORCE_AFTER_SECONDS = 30;

  private Shutdown() {}

  /** Blocks until the JVM is asked to stop, then runs {@code stop}. */
  static void awaitTermination(String what, AutoCloseable stop) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread killer = new Thread(() -> {
        try {
          if (!done.await(FORCE_AFTER_SECONDS, TimeUnit.SECONDS)) {
            LOG.error("{} did not stop within {} s; forcing exit", what, FORCE_AFTER_SECONDS);
            Runtime.getRuntime().halt(1);
          }
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "forced-exit");
      killer.setDaemon(true);
      killer.start();
      try {
        stop.close();
      } catch (Exception e) {
        LOG.warn("while stopping {}: {}", what, e.toString());
      } finally {
        done.countDown();
      }
    }, "shutdown-" + what));
    new CountDownLatch(1).await();
  }
}
