package io.pharos.chaos.watchdog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.chaos.fault.RevertSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's side of the watchdog contract: a JSON file holding the runner's pid, a heartbeat
 * (rewritten every {@link #HEARTBEAT_MS} ms with a counter the watchdog times on its own
 * monotonic clock), every fault that is in with its lease and how to revert it without the
 * runner, and clean-up actions (tearing down a namespace network the runner created). Replaced
 * atomically on every change, so the watchdog never reads half a file.
 *
 * <p>Once the watchdog has reverted the run (it took the runner for dead: a long GC pause, a CPU
 * stall), the lease is revoked: this file is never written back to "running" (the watchdog has
 * exited, so a later fault would be unguarded), and {@link #revoked()} says why, for the runner to
 * revert what it still holds and abort the drill with that reason.
 */
public final class LeaseFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseFile.class);
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  public static final long HEARTBEAT_MS = 500;
  static final String RUNNING = "running";
  static final String REVERTED = "reverted-by-watchdog";

  /** One fault in the file. */
  public record FaultLease(String id, String description, long expiresAt, List<RevertSpec> reverts) {}

  /**
   * The whole file. {@code state} is running, finished or reverted-by-watchdog; {@code beat}
   * counts the runner's writes (0 in a file of an older runner); {@code heartbeatAt} is the
   * runner's wall clock, for people only.
   */
  public record Content(long runnerPid, String runTag, long heartbeatAt, String state, List<FaultLease> faults,
      List<RevertSpec> cleanup, long beat) {
    public Content(long runnerPid, String runTag, long heartbeatAt, String state, List<FaultLease> faults,
        List<RevertSpec> cleanup) {
      this(runnerPid, runTag, heartbeatAt, state, faults, cleanup, 0);
    }
  }

  private final Path file;
  private final String runTag;
  private final Thread heartbeat;
  private List<FaultLease> faults = List.of();
  private List<RevertSpec> cleanup = List.of();
  private String state = RUNNING;
  private long beat;
  private volatile String revoked;

  public LeaseFile(Path file, String runTag) {
    this.file = file.toAbsolutePath();
    this.runTag = runTag;
    write();
    heartbeat = new Thread(this::beat, "lease-heartbeat");
    heartbeat.setDaemon(true);
    heartbeat.start();
  }

  public Path path() {
    return file;
  }

  /** Lists the faults that are in; nothing is written once the lease is revoked (see {@link #revoked()}). */
  public synchronized void faults(List<FaultLease> f) {
    faults = List.copyOf(f);
    write();
  }

  /** Actions the watchdog runs after reverting the faults (environment clean-up). */
  public synchronized void cleanup(List<RevertSpec> c) {
    cleanup = List.copyOf(c);
    write();
  }

  /**
   * Why the watchdog reverted this run, once it has (looked up in the file now); empty while the
   * lease holds. A revoked lease stays revoked.
   */
  public Optional<String> revoked() {
    synchronized (this) {
      checkRevoked();
    }
    return Optional.ofNullable(revoked);
  }

  private void beat() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(HEARTBEAT_MS);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (!RUNNING.equals(state) || revoked != null) {
          return;
        }
        write();
      }
    }
  }

  /**
   * The watchdog's marker (written before it reverts anything) or its mark in this file (written
   * after): either means the run was reverted.
   */
  private void checkRevoked() {
    if (revoked != null) {
      return;
    }
    Path marker = Watchdog.revertedMarker(file);
    try {
      if (Files.exists(marker)) {
        revoked = Files.readString(marker).strip();
      } else if (Files.exists(file) && REVERTED.equals(read(file).state())) {
        revoked = "the lease file is marked " + REVERTED;
      }
    } catch (IOException e) {
      // being replaced by the watchdog right now: the next look sees it
      LOG.debug("cannot read {} yet: {}", file, e.toString());
    }
    if (revoked != null) {
      LOG.error("the fault watchdog reverted every fault of {}: {}", runTag, revoked);
    }
  }

  private void write() {
    checkRevoked();
    if (revoked != null) {
      return; // never put a reverted lease back to running: nothing would guard what follows
    }
    Content c = new Content(ProcessHandle.current().pid(), runTag, System.currentTimeMillis(), state,
        new ArrayList<>(faults), new ArrayList<>(cleanup), ++beat);
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, MAPPER.writeValueAsString(c));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.error("cannot write the lease file {}: {}", file, e.toString());
    }
  }

  public static Content read(Path file) throws IOException {
    return MAPPER.readValue(Files.readString(file), Content.class);
  }

  /** Tells the watchdog the runner finished cleanly: it exits without touching anything. */
  @Override
  public synchronized void close() {
    state = "finished";
    faults = List.of();
    cleanup = List.of();
    write();
    heartbeat.interrupt();
  }
}
