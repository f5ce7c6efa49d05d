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
 * heartbeat is older than {@code staleAfterMs}, reverts every fault listed (SIGCONT to frozen
 * processes, iptables rules by tag, HTTP reverts, namespace teardown), marks the file and exits.
 * While the runner lives it also reverts any fault whose lease ran out more than
 * {@value #GRACE_MS} ms ago (a stuck runner). Exits at once when the runner says it finished.
 */
public final class Watchdog {
  static final long POLL_MS = 200;
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
    long stale = 3_000;
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
    long started = System.currentTimeMillis();
    long lastRead = started;
    while (System.currentTimeMillis() - started < MAX_LIFETIME_MS) {
      LeaseFile.Content c = null;
      try {
        c = LeaseFile.read(leaseFile);
        lastRead = System.currentTimeMillis();
      } catch (IOException e) {
        if (System.currentTimeMillis() - lastRead > 10_000) {
          log("lease file unreadable for 10 s (" + e.getMessage() + "): exiting");
          return 1;
        }
      }
      if (c != null) {
        if (!"running".equals(c.state())) {
          log("runner finished (" + c.state() + "): exiting");
          return 0;
        }
        boolean alive = ProcessHandle.of(c.runnerPid()).map(ProcessHandle::isAlive).orElse(false);
        long age = System.currentTimeMillis() - c.heartbeatAt();
        if (!alive || age > staleAfterMs) {
          log(alive ? "runner " + c.runnerPid() + " silent for " + age + " ms" : "runner " + c.runnerPid() + " is gone");
          revertEverything(c);
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

  private void revertEverything(LeaseFile.Content c) {
    for (LeaseFile.FaultLease f : c.faults()) {
      log("reverting " + f.id() + ": " + f.description());
      f.reverts().forEach(s -> log("  " + RevertActions.run(s)));
    }
    for (RevertSpec s : c.cleanup()) {
      log("clean-up: " + RevertActions.run(s));
    }
    LeaseFile.Content done = new LeaseFile.Content(c.runnerPid(), c.runTag(), c.heartbeatAt(), "reverted-by-watchdog",
        c.faults(), c.cleanup());
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
