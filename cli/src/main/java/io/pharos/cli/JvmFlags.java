package io.pharos.cli;

import java.util.List;

/** JVM flags given as one option value, separated by spaces (the bench commands' {@code --controller-jvm}). */
final class JvmFlags {
  private JvmFlags() {}

  /** The flags in {@code spaced}, in order; none for a blank value. */
  static List<String> split(String spaced) {
    return spaced.isBlank() ? List.of() : List.of(spaced.trim().split("\\s+"));
  }
}
