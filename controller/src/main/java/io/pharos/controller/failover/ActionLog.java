package io.pharos.controller.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.metrics.ErrorCounter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only record (JSON lines) of every external action this controller attempted — journal
 * proposals, mode publications, DNS changes — with its Raft term, fencing token and outcome. The
 * partition and crash tests read every controller's log to check that at most one controller acted
 * per term and that a minority never acted. Off unless a file is given.
 *
 * <p>Bounded: when the next line would take the file past {@code maxBytes}, it is renamed to
 * {@code <file>.1} (an older {@code .1} to {@code .2}, and so on) and a new file is started; only
 * {@code keep} old files are kept, so the log never takes more than {@code (keep + 1) * maxBytes}.
 * A line is never split across files.
 */
public final class ActionLog implements AutoCloseable {
  /**
   * 16 MiB per file: a line is ~200 bytes, so ~80,000 actions; a leader that renews modes every
   * 5 s writes ~17,000 lines a day, so the current file holds several days.
   */
  public static final long DEFAULT_MAX_BYTES = 16L << 20;
  /** Old files kept next to the current one. */
  public static final int DEFAULT_KEEP = 3;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);

  private final String controllerId;
  private final Path file;
  private final ErrorCounter errors;
  private final long maxBytes;
  private final int keep;
  private OutputStream out;
  private long size;

  private ActionLog(String controllerId, Path file, ErrorCounter errors, long maxBytes, int keep) {
    this.controllerId = controllerId;
    this.file = file;
    this.errors = errors;
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  /** A log that records nothing. */
  public static ActionLog off(String controllerId) {
    return new ActionLog(controllerId, null, null, Long.MAX_VALUE, 0);
  }

  /** A log in {@code file} with the default bounds ({@value #DEFAULT_KEEP} old files of 16 MiB). */
  public static ActionLog to(String controllerId, Path file, ErrorCounter errors) {
    return to(controllerId, file, errors, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
  }

  /**
   * @param maxBytes the size at which the file is rotated (at least 1 KiB)
   * @param keep rotated files kept (0 keeps only the current file)
   */
  public static ActionLog to(String controllerId, Path file, ErrorCounter errors, long maxBytes, int keep) {
    if (maxBytes < 1_024 || keep < 0) {
      throw new IllegalArgumentException("the action log needs maxBytes >= 1024 and keep >= 0, was " + maxBytes
          + " and " + keep);
    }
    Path absolute = file.toAbsolutePath();
    ActionLog log = new ActionLog(controllerId, absolute, errors, maxBytes, keep);
    try {
      Files.createDirectories(absolute.getParent());
      log.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the action log " + file, e);
    }
    return log;
  }

  private void open() throws IOException {
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  /**
   * @param action what (propose-Intent, publish-modes, dns-apply, …)
   * @param term the Raft term this controller believed it led in
   * @param token the fencing token carried, or null
   * @param outcome ok, refused, failed or stale, with detail
   */
  public void record(long at, String action, long term, String decisionId, String token, String outcome) {
    if (file == null) {
      return;
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("at", at).put("controller", controllerId).put("action", action).put("term", term)
        .put("decisionId", decisionId).put("token", token).put("outcome", outcome);
    byte[] line = (n + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (out == null) {
        return; // closed
      }
      if (size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      try {
        out.write(line);
        out.flush();
        size += line.length;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the action log " + file, e);
      }
    }
  }

  /** Shifts {@code file.(k)} to {@code file.(k+1)}, dropping the oldest, and starts a new file. */
  private void rotate() {
    try {
      out.close();
      if (keep == 0) {
        Files.delete(file);
      } else {
        Files.deleteIfExists(rotated(keep));
        for (int k = keep - 1; k >= 1; k--) {
          if (Files.exists(rotated(k))) {
            Files.move(rotated(k), rotated(k + 1), StandardCopyOption.ATOMIC_MOVE);
          }
        }
        Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      // the log goes on in the file it has (over its limit) rather than lose the next actions
      errors.record(LOG, "action-log.rotate", "rotating the action log " + file + " failed", e);
    }
    try {
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reopen the action log " + file, e);
    }
  }

  private Path rotated(int k) {
    return file.resolveSibling(file.getFileName() + "." + k);
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        errors.record(LOG, "action-log.close", "closing the action log failed", e);
      }
      out = null;
    }
  }
}
