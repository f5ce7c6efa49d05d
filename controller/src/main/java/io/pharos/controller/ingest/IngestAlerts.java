package io.pharos.controller.ingest;

import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.AnalysisCode;
import io.pharos.core.journal.RegionKeyState;
import io.pharos.core.wire.ReportVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the accepted reports themselves say that a person should know, as warnings on every
 * controller's status (the leader journals them like other alerts): agents of a region still on
 * the previous key generation ({@link AnalysisCode#PREVIOUS_KEY_IN_USE}, until a minute after the
 * last such report), and agents whose wall clock is more than {@link #SKEW_ALERT_MS} off
 * ({@link AnalysisCode#AGENT_CLOCK_SKEW}). Runs on the decision thread.
 */
public final class IngestAlerts {
  /** A region's previous-key warning stays this long after the last report signed so. */
  static final long PREVIOUS_KEY_WINDOW_MS = 60_000;
  /** Wall clocks further off than this are alerted (reports' freshness does not depend on them). */
  static final long SKEW_ALERT_MS = 30_000;
  /** A skew stays on the alert this long after the agent's last report showing it. */
  static final long SKEW_WINDOW_MS = 60_000;

  private record Use(long lastAt, long count, TreeSet<String> agents) {}

  private record Skew(long skewMs, long at) {}

  private final Map<String, Use> previousKey = new LinkedHashMap<>();
  private final Map<String, Skew> skews = new TreeMap<>();

  public void accepted(ReportVerifier.Accepted a) {
    if (a.previousKey()) {
      previousKey.merge(a.report().region(), new Use(a.receivedAt(), 1, new TreeSet<>(List.of(a.report().agentId()))),
          (old, now) -> {
            old.agents().add(a.report().agentId());
            return new Use(a.receivedAt(), old.count() + 1, old.agents());
          });
    }
    if (Math.abs(a.skewMs()) > SKEW_ALERT_MS) {
      skews.put(a.agent(), new Skew(a.skewMs(), a.receivedAt()));
    } else {
      skews.remove(a.agent());
    }
  }

  /** The current warnings; forgets what is older than its window. */
  public List<Analysis> analyses(long now, Function<String, RegionKeyState> keys) {
    List<Analysis> out = new ArrayList<>();
    previousKey.values().removeIf(u -> now - u.lastAt() > PREVIOUS_KEY_WINDOW_MS);
    previousKey.forEach((region, use) -> {
      RegionKeyState k = keys.apply(region);
      out.add(new Analysis(AnalysisCode.PREVIOUS_KEY_IN_USE, region, use.count() + " report(s) of region " + region
          + " signed with the previous key generation " + (k.generation() - 1) + " (agents " + use.agents()
          + "); accepted until " + Instant.ofEpochMilli(k.previousValidUntil()) + ", refused after: give them"
          + " generation " + k.generation() + " (`pharos keys derive --region " + region + " --generation "
          + k.generation() + "`)"));
    });
    skews.values().removeIf(s -> now - s.at() > SKEW_WINDOW_MS);
    Map<String, List<String>> byRegion = new TreeMap<>();
    skews.forEach((agent, s) -> byRegion.computeIfAbsent(agent.substring(0, agent.indexOf('/')), r -> new ArrayList<>())
        .add(agent.substring(agent.indexOf('/') + 1) + " " + describe(s.skewMs())));
    byRegion.forEach((region, agents) -> out.add(new Analysis(AnalysisCode.AGENT_CLOCK_SKEW, region,
        "agent clocks off the controllers': " + String.join(", ", agents) + "; reports are judged on the"
            + " controllers' clock and stay fresh, but observation times on timelines are off: fix the hosts' time"
            + " sync")));
    return out;
  }

  private static String describe(long skewMs) {
    long s = Math.abs(skewMs) / 1000;
    return (s >= 120 ? s / 60 + " min" : s + " s") + (skewMs > 0 ? " behind" : " ahead");
  }
}
