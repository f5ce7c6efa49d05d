package io.pharos.controller;

import java.util.concurrent.CompletionException;

/** What a future failed with. */
public final class Failures {
  private Failures() {}

  /**
   * The failure itself, not the {@link CompletionException} a dependent future wraps it in (its
   * cause when it has one); null stays null.
   */
  public static Throwable unwrap(Throwable err) {
    return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
  }
}
