package io.pharos.controller;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
}
