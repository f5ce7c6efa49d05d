package io.pharos.core.decision;

import io.pharos.core.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of an evacuation: the percentages of the region's configured weight to step through
 * and the hold between steps. Validated here, once, with messages that name the field.
 *
 * @param steps strictly decreasing percentages in 0..99, ending at 0 (the region out of traffic)
 * @param hold time between one step's completion and the next step
 */
public record EvacuationPlan(List<Integer> steps, Duration hold) {
  public static final List<Integer> DEFAULT_STEPS = List.of(75, 50, 0);
  /** Long enough for a 30 s TTL to move the traffic and a few probe rounds to judge the regions that took it. */
  public static final Duration DEFAULT_HOLD = Duration.ofMinutes(2);
  public static final Duration MIN_HOLD = Duration.ofSeconds(1);
  public static final Duration MAX_HOLD = Duration.ofHours(24);
  public static final int MAX_STEPS = 10;

  public EvacuationPlan {
    steps = List.copyOf(steps);
    String problem = problem(steps, hold);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The plan with defaults for what is not given (null). */
  public static EvacuationPlan of(List<Integer> steps, Duration hold) {
    return new EvacuationPlan(steps == null ? DEFAULT_STEPS : steps, hold == null ? DEFAULT_HOLD : hold);
  }

  /** Parses {@code "75,50,0"} (spaces and a trailing {@code %} allowed). */
  public static List<Integer> parseSteps(String text) {
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.endsWith("%")) {
        p = p.substring(0, p.length() - 1).strip();
      }
      try {
        out.add(Integer.parseInt(p));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("steps: '" + part.strip() + "' is not a whole percentage; write the"
            + " percentages of the configured weight, e.g. 75,50,0");
      }
    }
    return out;
  }

  /** What is wrong with a plan, or null. */
  public static String problem(List<Integer> steps, Duration hold) {
    if (steps.isEmpty()) {
      return "steps must not be empty; e.g. [75, 50, 0]";
    }
    if (steps.size() > MAX_STEPS) {
      return "steps: at most " + MAX_STEPS + " steps, were " + steps.size();
    }
    for (int i = 0; i < steps.size(); i++) {
      Integer s = steps.get(i);
      if (s == null || s < 0 || s > 99) {
        return "steps[" + i + "] must be a percentage from 0 to 99 of the region's configured weight, was " + s;
      }
      if (i > 0 && s >= steps.get(i - 1)) {
        return "steps must go down, but steps[" + i + "] = " + s + " follows " + steps.get(i - 1);
      }
    }
    if (steps.get(steps.size() - 1) != 0) {
      return "the last step must be 0 (the region out of traffic), was " + steps.get(steps.size() - 1);
    }
    if (hold == null || hold.compareTo(MIN_HOLD) < 0 || hold.compareTo(MAX_HOLD) > 0) {
      return "hold must be from " + Durations.format(MIN_HOLD) + " to " + Durations.format(MAX_HOLD) + ", was "
          + (hold == null ? "missing" : Durations.format(hold));
    }
    return null;
  }
}
