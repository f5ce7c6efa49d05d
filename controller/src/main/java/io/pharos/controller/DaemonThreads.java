package io.pharos.controller;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The controller's own threads: one named daemon thread per job, so a thread dump says whose it is. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A single named daemon thread that runs tasks in order, now or later. */
  public static ScheduledExecutorService single(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Named daemon threads made as tasks need them and ended after {@code idleSeconds} idle: for
   * callbacks that may themselves wait, where a fixed pool could run out of threads and stall.
   */
  public static ExecutorService cached(String name, int idleSeconds) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, idleSeconds, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
