package io.pharos.core.health;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.model.Capacity;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds accepted reports into per-agent, per-endpoint trackers and produces {@link ClusterView}
 * snapshots. Pure bookkeeping: the caller supplies the receive time; not thread-safe (one ingest
 * thread owns it).
 *
 * <p>An agent's verdict on a region is FAILING when any critical endpoint of that region is
 * FAILING for it; a vantage's verdict is the majority of its live agents' verdicts, so one broken
 * agent in a region with several cannot speak for the region. An even split between failing and
 * serving agents is no verdict ({@link Verdict#NO_DATA}): neither side can speak for the vantage.
 *
 * <p>A tracker counts only while it is fed: an endpoint an agent has not reported for
 * {@code probes.silenceAfter} plus two of its probe intervals is unknown for that agent (its last
 * verdict is not a vote for ever), and is forgotten after {@code probes.agentExpiry}. An agent not
 * heard for {@code probes.agentExpiry} is dropped with all its trackers (every pod restart brings
 * a new agent id) and listed in {@link ClusterView#droppedAgents()}.
 */
public final class ViewAggregator {
  /** Dropped agents listed in a snapshot, newest first. */
  public static final int DROPPED_SHOWN = 20;
  private final PharosConfig config;
  private final long silenceAfterMs;
  private final long expiryMs;
  private final double degradedErrorRate;
  private final Map<String, Map<String, Integer>> endpointIndex = new HashMap<>();
  private final List<EndpointConfig> endpoints = new ArrayList<>();
  private final List<String> endpointRegion = new ArrayList<>();
  /** Per endpoint index: how long after its last result a tracker is no longer a vote. */
  private final List<Long> staleAfterMs = new ArrayList<>();
  private final Map<String, AgentState> agents = new LinkedHashMap<>();
  private final java.util.ArrayDeque<ClusterView.DroppedAgent> dropped = new java.util.ArrayDeque<>();
  private long droppedTotal;
  private long lateReports;
  /** Region to the latest headroom its own agents read (agents of other regions are not asked). */
  private final Map<String, CapacityReading> capacity = new HashMap<>();
  private final long capacityStaleMs;

  public ViewAggregator(PharosConfig config) {
    this.config = config;
    this.silenceAfterMs = config.probes().silenceAfter().toMillis();
    this.degradedErrorRate = config.policy().degradedErrorRate();
    this.expiryMs = config.probes().agentExpiry().toMillis();
    this.capacityStaleMs = silenceAfterMs + 2 * Capacity.interval(config.probes()).toMillis();
    for (RegionConfig r : config.regions()) {
      Map<String, Integer> byId = new HashMap<>();
      for (EndpointConfig e : r.endpoints()) {
        byId.put(e.id(), endpoints.size());
        endpoints.add(e);
        endpointRegion.add(r.name());
        staleAfterMs.add(silenceAfterMs + 2 * e.interval().toMillis());
      }
      endpointIndex.put(r.name(), byId);
    }
  }

  /**
   * Folds one accepted report in. A late report refreshes nothing and changes no tracker: it is
   * only counted.
   *
   * @return true when something a decision depends on changed (an endpoint's state flipped, or a
   *     silent agent was heard again)
   */
  public boolean ingest(Report report, long receivedAt, boolean late) {
    if (late) {
      lateReports++;
      return false;
    }
    // an agent is its region and id: the region's key signed the report, so no agent can move
    // another region's agent (same id) into its own region
    AgentState agent = agents.computeIfAbsent(report.region() + "/" + report.agentId(),
        id -> new AgentState(report.agentId(), report.region()));
    boolean changed = agent.lastReceivedAt < receivedAt - silenceAfterMs;
    agent.lastReceivedAt = receivedAt;
    for (Observation o : report.observations()) {
      if (Capacity.isCapacity(o)) {
        if (o.ok() && o.targetRegion().equals(report.region())) {
          capacity.put(report.region(), new CapacityReading(report.region(), Capacity.headroomPercent(o),
              report.agentId(), receivedAt));
        }
        continue;
      }
      Map<String, Integer> byId = endpointIndex.get(o.targetRegion());
      Integer idx = byId == null ? null : byId.get(o.endpointId());
      if (idx == null) {
        continue;
      }
      EndpointTracker known = agent.trackers.get(idx);
      if (known != null && known.lastReceivedAt() < receivedAt - staleAfterMs.get(idx)) {
        // a verdict from before a silence is not carried on: an agent heard again after a minute
        // would otherwise vote "serving" for a region that went down meanwhile until its probes
        // had failed downAfter times; it starts unknown, like a new agent
        agent.trackers.remove(idx);
        changed = true;
      }
      changed |= agent.tracker(idx).observe(o, receivedAt);
    }
    return changed;
  }

  /** Whether some agent went silent since {@code previous} (its last report fell out of the window). */
  public boolean silenceChanged(long previous, long now) {
    for (AgentState a : agents.values()) {
      boolean wasLive = a.lastReceivedAt >= previous - silenceAfterMs;
      boolean isLive = a.lastReceivedAt >= now - silenceAfterMs;
      if (wasLive != isLive) {
        return true;
      }
    }
    return false;
  }

  /**
   * The picture at {@code now}. Forgets first what has expired: agents not heard for {@code
   * probes.agentExpiry} (listed as dropped), and trackers not fed for as long.
   */
  public ClusterView snapshot(long now) {
    expire(now);
    Map<String, Integer> live = new LinkedHashMap<>();
    Map<String, Integer> known = new LinkedHashMap<>();
    Map<String, List<AgentState>> liveByRegion = new HashMap<>();
    for (RegionConfig r : config.regions()) {
      live.put(r.name(), 0);
      known.put(r.name(), 0);
      liveByRegion.put(r.name(), new ArrayList<>());
    }
    for (AgentState a : agents.values()) {
      known.merge(a.region, 1, Integer::sum);
      if (a.lastReceivedAt >= now - silenceAfterMs) {
        live.merge(a.region, 1, Integer::sum);
        liveByRegion.computeIfAbsent(a.region, k -> new ArrayList<>()).add(a);
      }
    }
    Map<String, Map<String, VantageReading>> readings = new LinkedHashMap<>();
    for (RegionConfig target : config.regions()) {
      Map<String, VantageReading> byVantage = new LinkedHashMap<>();
      for (RegionConfig vantage : config.regions()) {
        byVantage.put(vantage.name(), reading(vantage.name(), target, liveByRegion.get(vantage.name()), now));
      }
      readings.put(target.name(), byVantage);
    }
    Map<String, CapacityReading> fresh = new LinkedHashMap<>();
    capacity.forEach((region, c) -> {
      if (c.receivedAt() >= now - capacityStaleMs) {
        fresh.put(region, c);
      }
    });
    return new ClusterView(now, readings, live, known, lateReports, List.copyOf(dropped), droppedTotal, fresh);
  }

  private void expire(long now) {
    var it = agents.values().iterator();
    while (it.hasNext()) {
      AgentState a = it.next();
      if (a.lastReceivedAt < now - expiryMs) {
        it.remove();
        droppedTotal++;
        dropped.addFirst(new ClusterView.DroppedAgent(a.id, a.region, a.lastReceivedAt, now));
        if (dropped.size() > DROPPED_SHOWN) {
          dropped.removeLast();
        }
      } else {
        a.trackers.entrySet().removeIf(t -> t.getValue().lastReceivedAt()
            < now - Math.max(expiryMs, staleAfterMs.get(t.getKey())));
      }
    }
  }

  /** Trackers held now, over every agent (for tests and metrics). */
  int trackers() {
    return agents.values().stream().mapToInt(a -> a.trackers.size()).sum();
  }

  private VantageReading reading(String vantage, RegionConfig target, List<AgentState> liveAgents, long now) {
    if (liveAgents.isEmpty()) {
      return new VantageReading(vantage, target.name(), Verdict.SILENT, 0, List.of(), 0, 0, false, 0, -1, -1);
    }
    List<Double> sustained = new ArrayList<>();
    List<Double> recent = new ArrayList<>();
    Map<String, Integer> byId = endpointIndex.get(target.name());
    int failing = 0;
    int serving = 0;
    int degraded = 0;
    double maxErrorRate = 0;
    long firstFailure = Long.MAX_VALUE;
    List<String> failingEndpoints = new ArrayList<>();
    boolean wobbling = false;
    long lastFailure = 0;
    for (AgentState a : liveAgents) {
      boolean agentFailing = false;
      boolean agentDegraded = false;
      boolean complete = true;
      double agentSustained = -1;
      double agentRecent = -1;
      boolean sustainedFull = true;
      for (EndpointConfig e : target.endpoints()) {
        int idx = byId.get(e.id());
        EndpointTracker t = a.trackers.get(idx);
        if (t == null || t.state() == EndpointTracker.State.UNKNOWN
            || t.lastReceivedAt() < now - staleAfterMs.get(idx)) {
          complete = false; // never seen, or not fed lately: this agent has no verdict on the region
          continue;
        }
        maxErrorRate = Math.max(maxErrorRate, t.errorRate());
        double rate = t.sustainedErrorRate(now);
        sustainedFull &= rate >= 0;
        agentSustained = Math.max(agentSustained, rate);
        agentRecent = Math.max(agentRecent, t.recentErrorRate(now));
        wobbling |= e.critical() && t.wobbling();
        if (e.critical()) {
          lastFailure = Math.max(lastFailure, t.lastFailureReceivedAt());
        }
        if (t.state() == EndpointTracker.State.FAILING) {
          if (e.critical()) {
            agentFailing = true;
            firstFailure = Math.min(firstFailure, t.firstFailureAt());
            if (!failingEndpoints.contains(e.id())) {
              failingEndpoints.add(e.id());
            }
          } else {
            agentDegraded = true;
          }
        } else if (t.samples() >= EndpointTracker.WINDOW / 2 && t.errorRate() > degradedErrorRate && t.failures() >= 2) {
          agentDegraded = true;
        }
      }
      if (agentFailing) {
        failing++;
      } else if (complete) {
        serving++;
        degraded += agentDegraded ? 1 : 0;
        if (sustainedFull) {
          sustained.add(agentSustained);
          recent.add(agentRecent);
        }
      }
    }
    // the vantage's sustained rate: the median of its agents' (one broken agent cannot speak for it)
    double sustainedRate = median(sustained);
    double recentRate = median(recent);
    Verdict verdict;
    if (failing > 0 && failing * 2 > failing + serving) {
      verdict = Verdict.FAILING;
    } else if (serving == 0 || failing == serving) {
      // an even split is no verdict: one broken agent of two must not hold a real failover back
      verdict = Verdict.NO_DATA;
    } else {
      verdict = degraded * 2 > serving ? Verdict.DEGRADED : Verdict.UP;
    }
    return new VantageReading(vantage, target.name(), verdict, liveAgents.size(),
        verdict == Verdict.FAILING ? failingEndpoints : List.of(), maxErrorRate,
        verdict == Verdict.FAILING && firstFailure != Long.MAX_VALUE ? firstFailure : 0, wobbling, lastFailure,
        verdict == Verdict.FAILING ? -1 : sustainedRate, verdict == Verdict.FAILING ? -1 : recentRate);
  }

  /** The lower median, or -1 for none. */
  private static double median(List<Double> values) {
    values.sort(null);
    return values.isEmpty() ? -1 : values.get((values.size() - 1) / 2);
  }

  /** Per-agent state; trackers created lazily, indexed by global endpoint index. */
  private final class AgentState {
    final String id;
    final String region;
    long lastReceivedAt = Long.MIN_VALUE / 2;
    final Map<Integer, EndpointTracker> trackers = new HashMap<>();

    AgentState(String id, String region) {
      this.id = id;
      this.region = region;
    }

    EndpointTracker tracker(int idx) {
      return trackers.computeIfAbsent(idx, i -> {
        EndpointConfig e = endpoints.get(i);
        return new EndpointTracker(config.probes().downAfter(), config.probes().upAfter(),
            e.latencyBudget().toNanos() / 1000, config.policy().failingErrorRate(),
            config.policy().degradedAfter().toMillis());
      });
    }
  }
}
