package io.pharos.core.decision;

import io.pharos.core.config.Durations;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.PolicyConfig;
import io.pharos.core.journal.ControlState;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The rules every automatic change must pass. Pure functions of config, shared state and time;
 * each refusal names the rule and, where a person can lift it, the command that does.
 */
public final class SafetyRules {
  /** The command that acknowledges the automatic-failover limit. */
  public static final String ACK_FAILOVER_LIMIT = "pharos ack failover-limit";

  private SafetyRules() {}

  /** Why an automatic failover of {@code regions} may not happen now, or empty when it may. */
  public static Optional<String> blockAutomaticFailover(
      PharosConfig config, ControlState control, Collection<String> regions, long now, long startedAt) {
    PolicyConfig p = config.policy();
    if (p.mode() == PolicyConfig.AutomationMode.OBSERVE) {
      return Optional.of("policy.mode is observe: decisions are alerted, never executed");
    }
    if (p.mode() == PolicyConfig.AutomationMode.APPROVE) {
      return Optional.of("policy.mode is approve: waiting for an operator to approve the failover");
    }
    Optional<String> paused = paused(control, now);
    if (paused.isPresent()) {
      return paused;
    }
    long graceEnd = startedAt + p.startupGrace().toMillis();
    if (now < graceEnd) {
      return Optional.of("startup grace: no automatic action until " + (graceEnd - now) / 1000
          + " s from now (policy.startupGrace " + Durations.format(p.startupGrace()) + ")");
    }
    for (String r : regions) {
      Optional<String> cooling = cooldown(config, control, r, now);
      if (cooling.isPresent()) {
        return cooling;
      }
    }
    long windowStart = now - p.maxAutoFailoversWindow().toMillis();
    long recent = control.autoFailovers().stream().filter(t -> t > windowStart).count();
    if (recent >= p.maxAutoFailovers()) {
      return Optional.of("automatic failover limit reached (" + recent + " in "
          + Durations.format(p.maxAutoFailoversWindow()) + "); automation is stopped until an operator runs `"
          + ACK_FAILOVER_LIMIT + "`");
    }
    return Optional.empty();
  }

  /**
   * Why a failover of {@code regions} may not even be put to an operator now, or empty when it may:
   * never in observe mode, while automation is paused, or in the startup grace. The cooldown and
   * the automatic-failover cap are for automatic actions; an operator who approves is not one.
   */
  public static Optional<String> blockApprovalRequest(PharosConfig config, ControlState control, long now,
      long startedAt) {
    PolicyConfig p = config.policy();
    if (p.mode() == PolicyConfig.AutomationMode.OBSERVE) {
      return Optional.of("policy.mode is observe: decisions are alerted, never executed");
    }
    Optional<String> paused = paused(control, now);
    if (paused.isPresent()) {
      return paused;
    }
    long graceEnd = startedAt + p.startupGrace().toMillis();
    if (now < graceEnd) {
      return Optional.of("startup grace: no decision until " + (graceEnd - now) / 1000
          + " s from now (policy.startupGrace " + Durations.format(p.startupGrace()) + ")");
    }
    return Optional.empty();
  }

  /** Why {@code region} is in its cooldown (changed too recently for another automatic change), or empty. */
  public static Optional<String> cooldown(PharosConfig config, ControlState control, String region, long now) {
    Long last = control.lastChange().get(region);
    Duration cooldown = config.policy().cooldown();
    if (last != null && now - last < cooldown.toMillis()) {
      return Optional.of("cooldown: region " + region + " changed " + (now - last) / 1000 + " s ago (policy.cooldown "
          + Durations.format(cooldown) + ")");
    }
    return Optional.empty();
  }

  /** Why an automatic failback of {@code regions} may not happen now, or empty when it may. */
  public static Optional<String> blockAutomaticFailback(
      PharosConfig config, ControlState control, Collection<String> regions, long now) {
    PolicyConfig p = config.policy();
    if (p.failback() == PolicyConfig.FailbackPolicy.MANUAL) {
      return Optional.of("policy.failback is manual: an operator fails back");
    }
    if (p.mode() != PolicyConfig.AutomationMode.AUTO) {
      return Optional.of("policy.mode is " + p.mode().name().toLowerCase() + ": no automatic failback");
    }
    Optional<String> paused = paused(control, now);
    if (paused.isPresent()) {
      return paused;
    }
    for (String r : regions) {
      Long last = control.lastChange().get(r);
      if (last != null && now - last < p.cooldown().toMillis()) {
        return Optional.of("cooldown: region " + r + " changed " + (now - last) / 1000 + " s ago");
      }
    }
    return Optional.empty();
  }

  /** The command that resumes paused automation. */
  public static final String RESUME = "pharos resume";

  private static Optional<String> paused(ControlState control, long now) {
    var m = control.maintenance();
    if (m == null || !m.activeAt(now)) {
      return Optional.empty();
    }
    return Optional.of("automation paused by " + m.by() + " (" + m.reason() + ")"
        + (m.until() == 0 ? "" : " until " + java.time.Instant.ofEpochMilli(m.until()))
        + "; resume with `" + RESUME + "`");
  }

}
