package io.pharos.chaos.scenario;

import java.util.List;

/** A scenario file that is not valid: every problem, each naming its line and field. */
public final class ScenarioException extends IllegalArgumentException {
  private final List<String> problems;

  public ScenarioException(List<String> problems) {
    super(problems.size() == 1 ? problems.get(0)
        : problems.size() + " problems:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
