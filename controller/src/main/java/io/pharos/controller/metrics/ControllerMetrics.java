package io.pharos.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.pharos.controller.raft.RaftProgress;
import io.pharos.core.journal.Leadership;
import io.pharos.core.wire.RejectReason;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** The controller's Prometheus metrics, in one place so names stay consistent. */
public final class ControllerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter accepted;
  private final Counter late;
  private final Counter droppedObservations;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
  private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
  private final Map<String, Counter> previousKey = new ConcurrentHashMap<>();
  private final Timer decisionStep;
  private final Timer decisionLatency;
  private final ErrorCounter errors;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Map<String, Meter> followerLag = new ConcurrentHashMap<>();
  private volatile RaftProgress progress = RaftProgress.NONE;

  public ControllerMetrics(String controllerId) {
    this(controllerId, Clock.systemUTC());
  }

  public ControllerMetrics(String controllerId, Clock clock) {
    registry.config().commonTags("controller", controllerId);
    errors = new ErrorCounter(registry, clock);
    accepted = Counter.builder("pharos.reports.accepted").description("reports accepted").register(registry);
    late = Counter.builder("pharos.reports.late").description("reports accepted as late (not counted as votes)")
        .register(registry);
    droppedObservations = Counter.builder("pharos.observations.dropped")
        .description("observations of endpoints not in the config").register(registry);
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, Counter.builder("pharos.reports.rejected").tag("reason", r.label())
          .description("reports rejected or dropped, by reason (duplicate: the second path's copy)")
          .register(registry));
    }
    decisionStep = Timer.builder("pharos.decision.step").description("time of one decision step")
        .publishPercentiles(0.5, 0.99).register(registry);
    decisionLatency = Timer.builder("pharos.decision.latency")
        .description("from a report's arrival (after its MAC) to the end of the decision step that took it in")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  /** Report received -> verdicts updated (the step that read it finished). */
  public Timer decisionLatency() {
    return decisionLatency;
  }

  public void accepted(boolean wasLate, int dropped) {
    accepted.increment();
    if (wasLate) {
      late.increment();
    }
    if (dropped > 0) {
      droppedObservations.increment(dropped);
    }
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  /** Errors the controller carried on after, counted by kind and logged rate-limited. */
  public ErrorCounter errors() {
    return errors;
  }

  /** A report accepted with its region's previous key generation (during the rotation's grace). */
  public void previousKey(String region) {
    previousKey.computeIfAbsent(region, r -> Counter.builder("pharos.reports.previous.key").tag("region", r)
        .description("reports accepted with the region's previous key generation").register(registry)).increment();
  }

  public double previousKeyCount(String region) {
    Counter c = previousKey.get(region);
    return c == null ? 0 : c.count();
  }

  public double rejectedCount(RejectReason reason) {
    return rejected.get(reason).count();
  }

  public void alert(String code, String severity) {
    alerts.computeIfAbsent(code + "|" + severity, k -> Counter.builder("pharos.alerts").tag("code", code)
        .tag("severity", severity).register(registry)).increment();
  }

  public void transition(String region, String transition) {
    transitions.computeIfAbsent(region + "|" + transition, k -> Counter.builder("pharos.region.transitions")
        .tag("region", region).tag("transition", transition).register(registry)).increment();
  }

  public Timer decisionStep() {
    return decisionStep;
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /**
   * The current term, whether this controller is the acting leader, knows a leader, is with a
   * majority, and its role, as gauges.
   */
  public void leadership(Leadership leadership) {
    gauge("pharos.raft.term", "current Raft term", leadership::term);
    gauge("pharos.raft.leader", "1 when this controller is the acting leader",
        () -> leadership.isActingLeader() ? 1 : 0);
    gauge("pharos.raft.leader.known", "1 when this controller knows a leader",
        () -> leadership.leaderId().isPresent() ? 1 : 0);
    gauge("pharos.raft.in.majority", "1 when this controller is with a majority of the group",
        () -> leadership.inMajority() ? 1 : 0);
    for (Leadership.Role r : Leadership.Role.values()) {
      Gauge.builder("pharos.raft.role", () -> leadership.role() == r ? 1 : 0)
          .tag("role", r.name().toLowerCase(java.util.Locale.ROOT))
          .description("1 for this controller's role in the Raft group").register(registry);
    }
  }

  /**
   * The journal's progress: commit and applied index, how far applying trails the commit, and,
   * on the leader, each follower's lag in entries. Read once per scrape.
   */
  public void raft(Supplier<RaftProgress> source) {
    gauge("pharos.raft.commit.index", "highest journal index this controller knows committed",
        () -> progress.commitIndex());
    gauge("pharos.raft.applied.index", "highest journal index this controller applied", () -> progress.appliedIndex());
    gauge("pharos.raft.apply.lag", "committed entries this controller has not applied yet", () -> progress.applyLag());
    beforeScrape(() -> {
      RaftProgress p = source.get();
      progress = p;
      for (String follower : p.followerLag().keySet()) {
        followerLag.computeIfAbsent(follower, f -> Gauge.builder("pharos.raft.follower.lag",
                () -> progress.followerLag().getOrDefault(f, 0L)).tag("follower", f)
            .description("on the leader: entries of its log a follower has not acknowledged").register(registry));
      }
      // only the leader has followers: a controller that stopped leading drops their series
      followerLag.keySet().removeIf(f -> {
        if (p.followerLag().containsKey(f)) {
          return false;
        }
        registry.remove(followerLag.get(f));
        return true;
      });
    });
  }

  /**
   * Runs {@code update} before every scrape (on the scraping thread): for series whose label
   * values appear over time (an rcode, a provider operation) or that read one snapshot per scrape.
   */
  public void beforeScrape(Runnable update) {
    beforeScrape.add(update);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    for (Runnable r : beforeScrape) {
      try {
        r.run();
      } catch (RuntimeException e) {
        errors.record(org.slf4j.LoggerFactory.getLogger(ControllerMetrics.class), "metrics.scrape",
            "a metrics source failed before a scrape (its series keep their last values)", e);
      }
    }
    return registry.scrape();
  }
}
