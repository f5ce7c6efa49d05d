package io.pharos.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parts a controller started, closed in reverse order: what was started last (the API) stops
 * first, what everything runs on (the Hazelcast member) last. A part that fails to close does not
 * keep the others open.
 */
final class Closer {
  private final List<AutoCloseable> parts = new ArrayList<>();

  synchronized <T extends AutoCloseable> T add(T part) {
    parts.add(part);
    return part;
  }

  /** Closes every part, newest first, once; {@code failed} hears of each that threw. */
  synchronized void closeAll(Consumer<Exception> failed) {
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        failed.accept(e);
      }
    }
    parts.clear();
  }
}
