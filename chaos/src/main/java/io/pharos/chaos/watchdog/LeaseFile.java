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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's side of the watchdog contract: a JSON file holding the runner's pid, a heartbeat
 * (rewritten every {@link #HEARTBEAT_MS} ms), every fault that is in with its lease and how to
 * revert it without the runner, and clean-up actions (tearing down a namespace network the
 * runner created). Replaced atomically on every change, so the watchdog never reads half a file.
 */
public final class LeaseFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseFile.class);
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  public static final long HEARTBEAT_MS = 500;

  /** One fault in the file. */
  public record FaultLease(String id, String description, long expiresAt, List<RevertSpec> reverts) {}

  /** The whole file. {@code state} is running, finished or reverted-by-watchdog. */
  public record Content(long runnerPid, String runTag, long heartbeatAt, String state, List<FaultLease> faults,
      List<RevertSpec> cleanup) {}

  private final Path file;
  private final String runTag;
  private final Thread heartbeat;
  private List<FaultLease> faults = List.of();
  private List<RevertSpec> cleanup = List.of();
  private String state = "running";

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

  public synchronized void faults(List<FaultLease> f) {
    faults = List.copyOf(f);
    write();
  }

  /** Actions the watchdog runs after reverting the faults (environment clean-up). */
  public synchronized void cleanup(List<RevertSpec> c) {
    cleanup = List.copyOf(c);
    write();
  }

  private void beat() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(HEARTBEAT_MS);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (this) {
        if (!"running".equals(state)) {
          return;
        }
        write();
      }
    }
  }

  private synchronized void write() {
    Content c = new Content(ProcessHandle.current().pid(), runTag, System.currentTimeMillis(), state,
        new ArrayList<>(faults), new ArrayList<>(cleanup));
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
