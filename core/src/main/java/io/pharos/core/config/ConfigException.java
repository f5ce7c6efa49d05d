package io.pharos.core.config;

import java.util.List;

/** A configuration that cannot be used. Every problem names the field path and what is wrong. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder("invalid configuration (" + problems.size() + " problems):");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
