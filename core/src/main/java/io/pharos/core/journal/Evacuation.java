package io.pharos.core.journal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An operator's evacuation of one region, as the journal knows it: the plan, how far it got and
 * what to restore on abort. Every step is an ordinary intent ({@link IntentKind#EVACUATE}) with the
 * id {@link #stepId(int)}, executed and completed like any other change.
 *
 * @param id evacuation id ({@code ev-<region>-<millis>}), also the prefix of its steps' decision ids
 * @param region the region traffic moves out of
 * @param steps percentages of the region's configured weight, strictly decreasing, ending at 0
 * @param holdMs time between a step's completion and the next step
 * @param by who started it
 * @param reason why, for people
 * @param startedAt proposer clock when it was started
 * @param outBefore regions out of traffic when it started
 * @param weightsBefore desired weights when it started: what an abort restores
 * @param stepsDone steps completed so far
 * @param lastStepAt proposer clock of the last step's completion (the start while none is done)
 * @param phase where it is
 * @param abortReason why it was aborted, or null
 */
public record Evacuation(
    String id,
    String region,
    List<Integer> steps,
    long holdMs,
    String by,
    String reason,
    long startedAt,
    Set<String> outBefore,
    Map<String, Map<String, Integer>> weightsBefore,
    int stepsDone,
    long lastStepAt,
    EvacuationPhase phase,
    String abortReason) {

  public Evacuation {
    steps = List.copyOf(steps);
    outBefore = Set.copyOf(outBefore);
    Map<String, Map<String, Integer>> c = new java.util.LinkedHashMap<>();
    weightsBefore.forEach((k, v) -> c.put(k, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v))));
    weightsBefore = java.util.Collections.unmodifiableMap(c);
  }

  /** The decision id of step {@code k} (0-based). */
  public String stepId(int k) {
    return id + "-s" + (k + 1);
  }

  /** The decision id of the intent that restores the weights after an abort. */
  public String restoreId() {
    return id + "-restore";
  }

  /** Percent of the configured weight the region holds now (100 before the first step). */
  public int percentNow() {
    return stepsDone == 0 ? 100 : steps.get(stepsDone - 1);
  }

  /** Percent the next step takes the region to, or -1 when every step is done. */
  public int nextPercent() {
    return stepsDone < steps.size() ? steps.get(stepsDone) : -1;
  }

  /**
   * The region's share to keep when weights are planned for another reason while it is part-way
   * out (e.g. a failover of another region): empty unless it stands between 0 and 100 %.
   */
  public Map<String, Integer> scale() {
    int p = percentNow();
    return phase == EvacuationPhase.EVACUATED || p <= 0 || p >= 100 ? Map.of() : Map.of(region, p);
  }

  /** Steps as text: {@code 100 → 75 → 50 → 0 %}. */
  public String describeSteps() {
    StringBuilder sb = new StringBuilder("100");
    steps.forEach(s -> sb.append(" → ").append(s));
    return sb.append(" %").toString();
  }

  Evacuation withStepDone(long at) {
    int done = stepsDone + 1;
    return new Evacuation(id, region, steps, holdMs, by, reason, startedAt, outBefore, weightsBefore, done, at,
        done == steps.size() ? EvacuationPhase.EVACUATED : EvacuationPhase.RUNNING, abortReason);
  }

  Evacuation aborting(String why) {
    return new Evacuation(id, region, steps, holdMs, by, reason, startedAt, outBefore, weightsBefore, stepsDone,
        lastStepAt, EvacuationPhase.ABORTING, why);
  }
}
