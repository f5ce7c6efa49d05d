package io.pharos.testkit.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process the harness started: its name, log file and the signals a test or drill sends
 * it (kill -9, SIGSTOP, SIGCONT).
 */
public final class ManagedProcess {
  private final String name;
  private final Process process;
  private final Path log;
  private volatile boolean frozen;
  private volatile boolean ended;

  ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether it exited without being killed or stopped by the harness (a crash, a watchdog's exit). */
  public boolean exitedOnItsOwn() {
    return !ended && !process.isAlive();
  }

  public boolean isFrozen() {
    return frozen && process.isAlive();
  }

  /** kill -9: no shutdown hooks, no goodbye. */
  public void kill() {
    ended = true;
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, then kill -9 after the grace period. */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    ended = true;
    if (frozen) {
      resume();
    }
    process.destroy();
    if (!awaitExit(grace)) {
      kill();
    }
  }

  /** SIGSTOP: the process is frozen, its sockets stay open and silent. */
  public void freeze() {
    signal("STOP");
    frozen = true;
  }

  /** SIGCONT. */
  public void resume() {
    signal("CONT");
    frozen = false;
  }

  public boolean awaitExit(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int exitValue() {
    return process.exitValue();
  }

  private void signal(String sig) {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process p = new ProcessBuilder(List.of("kill", "-" + sig, Long.toString(process.pid())))
          .redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot send SIG" + sig + " to " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + pid() + (isAlive() ? frozen ? ", frozen" : "" : ", exited") + ")";
  }
}
