package io.pharos.core.journal;

/** This controller is not the acting leader; it must not change anything. */
public final class NotLeaderException extends RuntimeException {
  public NotLeaderException(String message) {
    super(message);
  }
}
