package io.pharos.chaos.drill;

import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.scenario.Scenario;

/** Live progress of a drill: the current step, what happens, elapsed time. */
public interface DrillListener {
  default void started(Scenario s, String environment) {}

  /** A step starts: {@code index} from 0 of {@code total}. */
  default void step(int index, int total, String description) {}

  /** Something worth a line: a fault in or out, a controller event, a note. */
  default void line(String text) {}

  /** Called about every 100 ms while a step waits. */
  default void tick(long elapsedMs) {}

  default void finished(DrillReport report) {}

  DrillListener NONE = new DrillListener() {};
}
