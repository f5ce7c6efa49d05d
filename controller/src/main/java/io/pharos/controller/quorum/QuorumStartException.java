package io.pharos.controller.quorum;

/** The Raft server could not start; the message says what to do. */
public final class QuorumStartException extends RuntimeException {
  public QuorumStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
