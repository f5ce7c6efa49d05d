package io.pharos.controller.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.metrics.ErrorCounter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only record (JSON lines) of every external action this controller attempted — journal
 * proposals, mode publications, DNS changes — with its Raft term, fencing token and outcome. The
 * partition and crash tests read every controller's log to check that at most one controller acted
 * per term and that a minority never acted. Off unless a file is given.
 */
public final class ActionLog implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(ActionLog.class);
  private final String controllerId;
  private final BufferedWriter out;
  private final ErrorCounter errors;

  private ActionLog(String controllerId, BufferedWriter out, ErrorCounter errors) {
    this.controllerId = controllerId;
    this.out = out;
    this.errors = errors;
  }

  /** A log that records nothing. */
  public static ActionLog off(String controllerId) {
    return new ActionLog(controllerId, null, null);
  }

  public static ActionLog to(String controllerId, Path file, ErrorCounter errors) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return new ActionLog(controllerId, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND), errors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the action log " + file, e);
    }
  }

  /**
   * @param action what (propose-Intent, publish-modes, dns-apply, …)
   * @param term the Raft term this controller believed it led in
   * @param token the fencing token carried, or null
   * @param outcome ok, refused, failed or stale, with detail
   */
  public void record(long at, String action, long term, String decisionId, String token, String outcome) {
    if (out == null) {
      return;
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("at", at).put("controller", controllerId).put("action", action).put("term", term)
        .put("decisionId", decisionId).put("token", token).put("outcome", outcome);
    synchronized (this) {
      try {
        out.write(n.toString());
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        errors.record(LOG, "action-log.close", "closing the action log failed", e);
      }
    }
  }
}
