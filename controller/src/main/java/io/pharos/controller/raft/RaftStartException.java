package io.pharos.controller.raft;

/** The Raft server could not start; the message says what to do. */
public final class RaftStartException extends RuntimeException {
  public RaftStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
