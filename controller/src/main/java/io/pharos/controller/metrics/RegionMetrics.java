package io.pharos.controller.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pharos.core.decision.Step;
import io.pharos.core.health.QuorumVerdict;
import io.pharos.core.health.RegionState;
import io.pharos.core.journal.Approval;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.RegionMode;
import io.pharos.core.model.Mode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the dashboard's failover timeline and region panels draw: each region's verdict (health
 * state), whether it is failed over, its mode, its agents, the weights live at the DNS provider,
 * and waiting decisions. Every controller exports them from its own applied journal state and its
 * latest decision step, so a follower's series show what it would act on. Read once per scrape.
 */
public final class RegionMetrics {
  private final MeterRegistry registry;
  private final Supplier<ControlState> state;
  private final Supplier<Step> step;
  private final Set<String> weightSeries = ConcurrentHashMap.newKeySet();
  private volatile ControlState stateNow;
  private volatile Step stepNow;

  public RegionMetrics(ControllerMetrics metrics, List<String> regions, Supplier<ControlState> state,
      Supplier<Step> step) {
    this.registry = metrics.registry();
    this.state = state;
    this.step = step;
    for (String r : regions) {
      for (RegionState s : RegionState.values()) {
        Gauge.builder("pharos.region.state", this, m -> m.health(r) == s ? 1 : 0).tag("region", r)
            .tag("state", s.name().toLowerCase(Locale.ROOT))
            .description("1 for the region's health state in this controller's latest decision step")
            .register(registry);
      }
      Gauge.builder("pharos.region.out", this, m -> m.state().out().contains(r) ? 1 : 0).tag("region", r)
          .description("1 while the region is failed over (out of DNS)").register(registry);
      for (Mode mode : Mode.values()) {
        Gauge.builder("pharos.region.mode", this, m -> m.mode(r) == mode ? 1 : 0).tag("region", r)
            .tag("mode", mode.label()).description("1 for the region's mode in the journal").register(registry);
      }
      Gauge.builder("pharos.region.last.change", this,
              m -> m.state().lastChange().getOrDefault(r, 0L) / 1000.0).tag("region", r).baseUnit("timestamp.seconds")
          .description("when the last change concerning the region was decided (unix seconds, 0: never)")
          .register(registry);
      Gauge.builder("pharos.region.agents.live", this, m -> m.agents(r, true)).tag("region", r)
          .description("the region's agents heard from within the silence window").register(registry);
      Gauge.builder("pharos.region.agents.known", this, m -> m.agents(r, false)).tag("region", r)
          .description("the region's agents heard from within probes.agentExpiry").register(registry);
      Gauge.builder("pharos.region.votes.failing", this, m -> m.votes(r, true)).tag("region", r)
          .description("vantages whose agents see the region failing").register(registry);
      Gauge.builder("pharos.region.votes.needed", this, m -> m.votes(r, false)).tag("region", r)
          .description("failing vantages needed to call the region down").register(registry);
    }
    Gauge.builder("pharos.decision.pending", this, m -> m.state().pending() == null ? 0 : 1)
        .description("1 while a failover decision is being carried out").register(registry);
    Gauge.builder("pharos.approvals.waiting", this, m -> m.state().approvals().values().stream()
            .filter(a -> a.status() == Approval.Status.WAITING).count())
        .description("decisions waiting for an operator's approve or reject").register(registry);
    Gauge.builder("pharos.zone.serial", this, m -> m.state().zone().serial())
        .description("serial of the DNS zone as the journal knows it").register(registry);
    metrics.beforeScrape(() -> {
      stateNow = state.get();
      stepNow = step.get();
      stateNow.zone().weights().forEach((record, byRegion) -> byRegion.keySet().forEach(region -> {
        if (weightSeries.add(record + "|" + region)) {
          Gauge.builder("pharos.dns.weight", this, m -> m.state().zone().weights().getOrDefault(record, Map.of())
                  .getOrDefault(region, 0)).tag("record", record).tag("region", region)
              .description("the region's weight in the record, as live at the DNS provider").register(registry);
        }
      }));
    });
  }

  private ControlState state() {
    ControlState s = stateNow;
    return s != null ? s : (stateNow = state.get());
  }

  private RegionState health(String region) {
    Step s = stepNow;
    return s == null ? null : s.health().get(region);
  }

  private Mode mode(String region) {
    RegionMode m = state().modes().get(region);
    return m == null ? null : m.mode();
  }

  private double agents(String region, boolean live) {
    Step s = stepNow;
    if (s == null || s.view() == null) {
      return 0;
    }
    return (live ? s.view().liveAgents() : s.view().knownAgents()).getOrDefault(region, 0);
  }

  private double votes(String region, boolean failing) {
    Step s = stepNow;
    QuorumVerdict v = s == null ? null : s.verdicts().get(region);
    if (v == null) {
      return 0;
    }
    return failing ? v.failingVoters().size() : v.needed();
  }
}
