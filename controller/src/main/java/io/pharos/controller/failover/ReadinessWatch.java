package io.pharos.controller.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.controller.DaemonThreads;
import io.pharos.controller.metrics.ErrorCounter;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.RecordConfig;
import io.pharos.core.decision.Analysis;
import io.pharos.core.decision.CapacityPlan;
import io.pharos.core.decision.Readiness;
import io.pharos.core.decision.Step;
import io.pharos.core.health.CapacityReading;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.Journal;
import io.pharos.dns.DnsProvider;
import io.pharos.dns.ProviderHealth;
import io.pharos.dns.ZoneSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates failover readiness continuously ({@link Readiness}), on its own thread every
 * {@link #EVERY_MS}: reads the zone from the DNS provider, asks it to plan (a dry run, nothing
 * applied) the change each region's failover would make, checks the records and the quorum, and
 * takes the survivors' headroom from the decision loop's latest picture. Only the acting leader
 * reads the provider (the others show the quorum and capacity and say so). Every controller shows
 * the result (status, {@code /ready} details); the acting leader alerts on it (FailoverAtRisk,
 * through the alert journal with the decision step's findings).
 */
public final class ReadinessWatch implements AutoCloseable {
  /** One provider read by the acting leader every 10 s: far inside Route 53's 5 requests/s budget. */
  public static final long EVERY_MS = 10_000;
  static final long READ_TIMEOUT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessWatch.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PharosConfig config;
  private final Clock clock;
  private final Journal journal;
  private final DnsProvider provider;
  private final Supplier<Step> latestStep;
  private final ErrorCounter errors;
  private final ScheduledExecutorService executor = DaemonThreads.single("pharos-readiness");
  private volatile Readiness latest;

  public ReadinessWatch(PharosConfig config, Clock clock, Journal journal, DnsProvider provider,
      Supplier<Step> latestStep, ErrorCounter errors) {
    this.config = config;
    this.clock = clock;
    this.journal = journal;
    this.provider = provider;
    this.latestStep = latestStep;
    this.errors = errors;
  }

  public ReadinessWatch start() {
    executor.scheduleWithFixedDelay(this::evaluateSafely, 1_000, EVERY_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The latest evaluation, or null before the first. */
  public Readiness latest() {
    return latest;
  }

  /** The warnings of the latest evaluation (none before the first). */
  public List<Analysis> analyses() {
    Readiness r = latest;
    return r == null ? List.of() : r.analyses();
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (Throwable t) {
      errors.record(LOG, "readiness", "failover readiness evaluation failed", t);
    }
  }

  /** One evaluation; blocking (reads the provider). */
  public Readiness evaluate() {
    ControlState state = journal.state();
    Step step = latestStep.get();
    Map<String, CapacityReading> capacity = step == null || step.view() == null ? Map.of() : step.view().capacity();
    ProviderHealth health = provider.health();
    ZoneSnapshot zone = null;
    String providerDetail = provider.name() + ": " + health.state().name().toLowerCase() + " - " + health.detail();
    if (!journal.isActingLeader()) {
      // only the controller that would act reads the provider: three controllers reading every 10 s
      // would spend the account's API budget (Route 53: 5 requests/s) that a failover needs
      return follower(state, capacity, health, providerDetail);
    }
    try {
      zone = provider.read().get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      providerDetail = provider.name() + ": no answer to a zone read within " + READ_TIMEOUT_MS + " ms";
    } catch (java.util.concurrent.ExecutionException e) {
      providerDetail = provider.name() + ": zone read failed: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return latest;
    }
    List<String> missing = new ArrayList<>();
    Map<String, String> refused = new LinkedHashMap<>();
    if (zone != null) {
      for (RecordConfig r : config.dns().records()) {
        if (!zone.weights().containsKey(r.name())) {
          missing.add(r.name());
        }
      }
      ZoneSnapshot actual = zone;
      Readiness.plans(config, state, capacity).forEach((region, shift) -> shift.ifPresent(s -> {
        try {
          provider.plan(s.weights(), actual);
        } catch (RuntimeException e) {
          refused.put(region, e.getMessage());
        }
      }));
    }
    boolean quorum = journal.inMajority() && journal.leaderId().isPresent();
    String quorumDetail = quorum ? "leader " + journal.leaderId().get() + ", term " + journal.term()
        : journal.leaderId().map(l -> "this controller is not in the majority (leader " + l + ")")
            .orElse("no leader: no Raft majority");
    Readiness r = Readiness.evaluate(config, state, capacity, new Readiness.Facts(zone != null && health.healthy(),
        providerDetail, missing, refused, quorum, quorumDetail), clock.millis());
    if (latest == null || latest.ready() != r.ready()) {
      LOG.info("failover readiness: {}", r.ready() ? "ready" : r.analyses().stream().map(Analysis::message).toList());
    }
    latest = r;
    return r;
  }

  /** A follower's view: the quorum and capacity as it sees them, the provider as the acting leader checks it. */
  private Readiness follower(ControlState state, Map<String, CapacityReading> capacity, ProviderHealth health,
      String providerDetail) {
    boolean quorum = journal.inMajority() && journal.leaderId().isPresent();
    String quorumDetail = quorum ? "leader " + journal.leaderId().get() + ", term " + journal.term()
        : journal.leaderId().map(l -> "this controller is not in the majority (leader " + l + ")")
            .orElse("no leader: no Raft majority");
    Readiness r = Readiness.evaluate(config, state, capacity, new Readiness.Facts(true,
        providerDetail + " (the provider is read and dry-run by the acting leader only)", List.of(), Map.of(), quorum,
        quorumDetail), clock.millis());
    latest = r;
    return r;
  }

  /** The latest evaluation as {@code /v1/status} shows it ({@code "readiness"}), or null before the first. */
  public ObjectNode json() {
    Readiness r = latest;
    if (r == null) {
      return null;
    }
    ObjectNode n = MAPPER.createObjectNode();
    n.put("ready", r.ready()).put("at", r.at()).put("capacityPolicy", config.policy().capacity().name()
        .toLowerCase());
    ObjectNode checks = n.putObject("checks");
    r.checks().forEach(c -> checks.putObject(c.name()).put("ok", c.ok()).put("detail", c.detail()));
    ObjectNode failovers = n.putObject("failovers");
    for (Readiness.RegionFailover f : r.failovers()) {
      ObjectNode o = failovers.putObject(f.region());
      o.put("ok", f.ok());
      o.set("weights", MAPPER.valueToTree(f.weights()));
      ArrayNode survivors = o.putArray("survivors");
      for (CapacityPlan.SurvivorLoad l : f.survivors()) {
        ObjectNode s = survivors.addObject().put("region", l.region()).put("overloaded", l.overloaded())
            .put("detail", l.describe());
        if (l.headroomPercent() != null) {
          s.put("headroomPercent", l.headroomPercent());
        }
        if (l.utilisationAfter() != null && !l.utilisationAfter().isInfinite()) {
          s.put("utilisationAfterPercent", Math.round(l.utilisationAfter()));
        }
      }
      o.set("problems", MAPPER.valueToTree(f.problems()));
    }
    return n;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
