package io.pharos.cli.operator;

import io.pharos.core.config.Durations;
import io.pharos.core.decision.EvacuationPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pharos evacuate}: moves traffic out of a healthy region step by step, or aborts that. */
@Command(name = "evacuate", mixinStandardHelpOptions = true,
    description = {"Move traffic out of a healthy region step by step (R9): each step lowers its DNS weight to a"
        + " percentage of its configured weight, after a hold, and only while the regions taking the traffic stay"
        + " healthy (otherwise it pauses and says why). No region is fenced. Ends with the region out of traffic"
        + " until `pharos failback <region>`; `--abort` restores the weights from before it.",
        "Example: pharos evacuate us-east --steps 75,50,0 --hold 2m --reason \"kernel upgrade\""})
public final class EvacuateCommand implements Callable<Integer> {
  @Mixin
  ControllerTarget target;

  @Mixin
  RegionAndReason on;

  @Option(names = "--steps", paramLabel = "P,P,...",
      description = "percentages of the configured weight, going down and ending at 0 (default: 75,50,0)")
  String steps;

  @Option(names = "--hold", paramLabel = "DURATION",
      description = "time between one step's completion and the next, e.g. 30s, 2m (default: 2m)")
  String hold;

  @Option(names = "--abort", description = "abort the running evacuation of the region: its weights come back")
  boolean abort;

  @Override
  public Integer call() {
    if (abort) {
      if (steps != null || hold != null) {
        throw new IllegalArgumentException("--abort takes no --steps or --hold");
      }
      return on.post(target, "evacuate/abort", "abort evacuation of " + on.region);
    }
    Map<String, Object> b = new LinkedHashMap<>();
    List<Integer> parsedSteps = steps == null ? null : EvacuationPlan.parseSteps(steps);
    Duration parsedHold = null;
    if (hold != null) {
      try {
        parsedHold = Durations.parse(hold);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--hold: " + e.getMessage());
      }
    }
    EvacuationPlan plan = EvacuationPlan.of(parsedSteps, parsedHold); // a bad plan fails here, naming the field
    if (parsedSteps != null) {
      b.put("steps", plan.steps());
    }
    if (parsedHold != null) {
      b.put("hold", hold);
    }
    return on.post(target, "evacuate", "evacuate " + on.region + " (steps " + plan.steps() + " %, hold "
        + Durations.format(plan.hold()) + "; follow it in /v1/status and /v1/events)", b);
  }
}
