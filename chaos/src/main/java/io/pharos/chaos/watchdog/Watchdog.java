package io.pharos.chaos.watchdog;

import io.pharos.chaos.fault.RevertActions;
import io.pharos.chaos.fault.RevertSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A small detached process that outlives a drill runner: it reads the runner's
 * {@link LeaseFile} every {@value #POLL_MS} ms and, when the runner's process is gone or its
 * heartbeat has not moved for {@code staleAfterMs} (timed on the watchdog's own monotonic clock,
 * not counting time the watchdog was frozen itself: {@link RunnerLiveness}), reverts every fault
 * listed (SIGCONT to frozen processes, iptables rules by tag, HTTP reverts, namespace teardown),
 * marks the file and exits. Before it reverts anything it leaves a marker next to the lease
 * ({@link #revertedMarker}) so that a runner that was only stalled never writes its lease back to
 * "running" and aborts its drill instead. While the runner lives it also reverts any fault whose
 * lease ran out more than {@value #GRACE_MS} ms ago (a stuck runner). Exits at once when the
 * runner says it finished.
 */
public final class Watchdog {
  static final long POLL_MS = 200;
  /**
   * 10 s without a heartbeat: a runner's GC pause or a CPU stall of a few seconds on a loaded
   * machine must not revert a drill mid-way; a dead runner is seen at once (its pid is gone).
   */
  public static final long DEFAULT_STALE_AFTER_MS = 10_000;
  /** Two looks further apart than this mean the watchdog itself was frozen. */
  static final long OWN_STALL_MS = 1_000;
  static final long GRACE_MS = 5_000;
  static final long MAX_LIFETIME_MS = 24L * 3600 * 1000;

  private final Path leaseFile;
  private final long staleAfterMs;
  private final Set<String> expiredHandled = new HashSet<>();

  public Watchdog(Path leaseFile, long staleAfterMs) {
    this.leaseFile = leaseFile;
    this.staleAfterMs = staleAfterMs;
  }

  /** {@code Watchdog --lease-file <file> [--stale-after-ms <ms>]} */
  public static void main(String[] args) {
    Path file = null;
    long stale = DEFAULT_STALE_AFTER_MS;
    for (int i = 0; i < args.length - 1; i += 2) {
      switch (args[i]) {
        case "--lease-file" -> file = Path.of(args[i + 1]);
        case "--stale-after-ms" -> stale = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (file == null) {
      System.err.println("usage: watchdog --lease-file <file> [--stale-after-ms <ms>]");
      System.exit(2);
    }
    System.exit(new Watchdog(file, stale).run());
  }

  /** Watches until the runner finishes or dies; returns the exit code. */
  public int run() {
    log("watching " + leaseFile + " (stale after " + staleAfterMs + " ms)");
    try {
      Files.writeString(ackFile(leaseFile), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      log("cannot write " + ackFile(leaseFile) + ": " + e);
      return 1;
    }
    long started = System.nanoTime();
    long lastRead = started;
    RunnerLiveness liveness = new RunnerLiveness(OWN_STALL_MS * 1_000_000);
    long stalls = 0;
    while (System.nanoTime() - started < MAX_LIFETIME_MS * 1_000_000) {
      LeaseFile.Content c = null;
      try {
        c = LeaseFile.read(leaseFile);
        lastRead = System.nanoTime();
      } catch (IOException e) {
        if (System.nanoTime() - lastRead > 10_000_000_000L) {
          log("lease file unreadable for 10 s (" + e.getMessage() + "): exiting");
          return 1;
        }
      }
      if (c != null) {
        if (!LeaseFile.RUNNING.equals(c.state())) {
          log("runner finished (" + c.state() + "): exiting");
          return 0;
        }
        boolean alive = ProcessHandle.of(c.runnerPid()).map(ProcessHandle::isAlive).orElse(false);
        long silent = liveness.look(c.beat(), System.nanoTime());
        if (liveness.ownStalls() > stalls) {
          stalls = liveness.ownStalls();
          log("the watchdog itself was frozen (more than " + OWN_STALL_MS + " ms between two looks): the runner's"
              + " silence is counted again from now");
        }
        if (!alive || silent > staleAfterMs) {
          String why = alive ? "runner " + c.runnerPid() + " silent for " + silent + " ms (no heartbeat; more than "
              + staleAfterMs + " ms)" : "runner " + c.runnerPid() + " is gone";
          log(why);
          revertEverything(why, alive);
          return 0;
        }
        revertExpired(c);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return 1;
      }
    }
    return 0;
  }

  private void revertEverything(String why, boolean runnerAlive) {
    // the marker first: from now on a runner that was only stalled writes nothing and aborts
    try {
      Files.writeString(revertedMarker(leaseFile), "the fault watchdog reverted every fault at " + Instant.now()
          + ": " + why);
    } catch (IOException e) {
      log("cannot write " + revertedMarker(leaseFile) + ": " + e);
    }
    // a fault a stalled runner listed just before the marker appeared is in the file by now
    if (runnerAlive) {
      try {
        Thread.sleep(2 * LeaseFile.HEARTBEAT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LeaseFile.Content c;
    try {
      c = LeaseFile.read(leaseFile);
    } catch (IOException e) {
      log("cannot read the lease file to revert it: " + e);
      return;
    }
    for (LeaseFile.FaultLease f : c.faults()) {
      log("reverting " + f.id() + ": " + f.description());
      f.reverts().forEach(s -> log("  " + RevertActions.run(s)));
    }
    for (RevertSpec s : c.cleanup()) {
      log("clean-up: " + RevertActions.run(s));
    }
    LeaseFile.Content done = new LeaseFile.Content(c.runnerPid(), c.runTag(), c.heartbeatAt(), LeaseFile.REVERTED,
        c.faults(), c.cleanup(), c.beat());
    try {
      Files.writeString(leaseFile, LeaseFile.MAPPER.writeValueAsString(done));
    } catch (IOException e) {
      log("cannot mark the lease file: " + e);
    }
    log("every fault of run " + c.runTag() + " reverted");
  }

  private void revertExpired(LeaseFile.Content c) {
    long now = System.currentTimeMillis();
    for (LeaseFile.FaultLease f : c.faults()) {
      if (f.expiresAt() + GRACE_MS < now && expiredHandled.add(f.id())) {
        log("lease of " + f.id() + " ran out " + (now - f.expiresAt()) + " ms ago and the runner kept it: reverting");
        f.reverts().forEach(s -> log("  " + RevertActions.run(s)));
      }
    }
  }

  /** The marker the watchdog leaves before it reverts a run: its reason, for the runner to read. */
  public static Path revertedMarker(Path leaseFile) {
    return leaseFile.resolveSibling(leaseFile.getFileName() + ".reverted");
  }

  /** The file the watchdog writes its pid to once it is watching. */
  public static Path ackFile(Path leaseFile) {
    return leaseFile.resolveSibling(leaseFile.getFileName() + ".watchdog");
  }

  private static void log(String s) {
    System.out.println(Instant.now() + " " + s);
    System.out.flush();
  }

  /** For the runner: the watchdog's pid once it acknowledged, if it did. */
  public static List<String> ack(Path leaseFile) throws IOException {
    return Files.readAllLines(ackFile(leaseFile));
  }
}
