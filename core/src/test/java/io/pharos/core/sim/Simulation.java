package io.pharos.core.sim;

import io.pharos.core.config.EndpointConfig;
import io.pharos.core.config.RegionConfig;
import io.pharos.core.decision.Decision;
import io.pharos.core.decision.DecisionEngine;
import io.pharos.core.decision.Step;
import io.pharos.core.health.ViewAggregator;
import io.pharos.core.journal.Applied;
import io.pharos.core.journal.Completed;
import io.pharos.core.journal.ControlState;
import io.pharos.core.journal.DnsCommitted;
import io.pharos.core.journal.Fenced;
import io.pharos.core.journal.JournalEntry;
import io.pharos.core.model.Observation;
import io.pharos.core.model.Report;
import io.pharos.core.security.MasterSecret;
import io.pharos.core.wire.RejectReason;
import io.pharos.core.wire.ReportSigner;
import io.pharos.core.wire.ReportVerifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs a {@link World} through the real pipeline — reports signed with each region's key (derived
 * from the world's master secret), each delivered twice as the agents' two paths do, a buffered
 * report signed when it is finally sent, {@link ReportVerifier},
 * {@link ViewAggregator}, {@link DecisionEngine}, the journal's {@link ControlState} — on a
 * simulated clock, one 100 ms tick at a time, and records what a checker needs: every probe's
 * truth, every decision and the state after it.
 */
final class Simulation {
  static final long TICK = 100;
  static final int BUFFER_LIMIT = 300;

  /** One executed decision and the state right after it. */
  record Executed(long at, Decision decision, ControlState after) {}

  /** One probe result as the world produced it. */
  record Probe(long at, boolean ok) {}

  final World world;
  final ViewAggregator aggregator;
  final ReportVerifier verifier;
  final DecisionEngine engine;
  final Map<String, ReportSigner> signers = new HashMap<>();
  final Random rnd;
  /** The wire's own randomness (boot ids, restarts, the second copy's delay): {@link #rnd} stays as it was. */
  final Random wire;
  final List<Executed> executed = new ArrayList<>();
  final List<String> violations = new ArrayList<>();
  /** "vantage>region" → probes of that region's critical endpoints by the vantage's agents. */
  final Map<String, List<Probe>> probes = new HashMap<>();
  /** agent id → times it delivered a fresh report. */
  final Map<String, List<Long>> heard = new HashMap<>();
  /** Per tick, the analysis codes the engine reported and the evidence it had on each region. */
  final List<Observed> observed = new ArrayList<>();

  /** What one step saw. */
  record Observed(long at, java.util.Set<io.pharos.core.decision.AnalysisCode> codes,
      Map<String, io.pharos.core.health.QuorumVerdict.Evidence> evidence) {}
  ControlState control;
  long lateReports;
  private final List<AgentState> agents = new ArrayList<>();
  private long index;

  private final class AgentState {
    final World.AgentSpec spec;
    long[] nextProbe;
    int[] run;
    boolean[] recovering;
    final Map<String, List<Probe>> logs = new HashMap<>();
    final List<Observation> pending = new ArrayList<>();
    final Deque<Report> buffer = new ArrayDeque<>();
    long bootId;
    long counter;
    long bootedAt;
    long lastReportAt;
    boolean wasSilent;

    AgentState(World.AgentSpec spec) {
      this.spec = spec;
      boot(World.T0);
    }

    /** A new start: a new random boot id, the counter from 1, uptime from 0. */
    void boot(long t) {
      buffer.clear(); // a restarted agent lost what it had buffered
      bootId = wire.nextLong();
      counter = 0;
      bootedAt = t;
    }

    /** The shared log of this agent's vantage for one target region. */
    List<Probe> probeLog(String suffix) {
      return logs.computeIfAbsent(suffix, k -> probes.computeIfAbsent(spec.region() + k, x -> new ArrayList<>()));
    }
  }

  Simulation(World world) {
    this.world = world;
    this.aggregator = new ViewAggregator(world.config);
    this.rnd = new Random(world.seed);
    this.wire = new Random(~world.seed);
    this.verifier = new ReportVerifier(world.config, region -> control.regionKey(region));
    this.engine = new DecisionEngine(world.config, World.T0);
    MasterSecret master = world.config.security().requireMasterSecret();
    world.regions.forEach(r -> signers.put(r, new ReportSigner(master.regionKey(r, 1))));
    this.control = ControlState.initial(world.config);
    world.agents.forEach(a -> agents.add(new AgentState(a)));
  }

  Simulation run() {
    for (long t = World.T0; t < World.T0 + World.DURATION; t += TICK) {
      for (AgentState a : agents) {
        agentTick(a, t);
      }
      Step s = engine.step(aggregator.snapshot(t), control, t);
      var codes = java.util.EnumSet.noneOf(io.pharos.core.decision.AnalysisCode.class);
      s.analyses().forEach(a -> codes.add(a.code()));
      Map<String, io.pharos.core.health.QuorumVerdict.Evidence> evidence = new HashMap<>();
      s.verdicts().forEach((r, v) -> evidence.put(r, v.evidence()));
      observed.add(new Observed(t, codes, evidence));
      if (TRACE) {
        trace(s, t);
      }
      if (s.decision() != null) {
        execute(s.decision(), t);
      }
      if (s.approval() != null) {
        // recorded as the leader would; nobody answers in the simulation: a waiting decision stays waiting
        index += 2;
        control = control.apply(s.approval().toEntry(1, t, "c0"), 1, index).state();
      }
    }
    return this;
  }

  static final boolean TRACE = Boolean.getBoolean("pharos.sim.trace");
  private String lastTrace = "";

  private void trace(Step s, long t) {
    StringBuilder sb = new StringBuilder();
    s.health().forEach((r, h) -> sb.append(r).append('=').append(h).append(' '));
    s.analyses().forEach(a -> sb.append(a.code().label()).append('(').append(a.region()).append(")")
        .append(a.code() == io.pharos.core.decision.AnalysisCode.FAILOVER_BLOCKED ? "[" + a.message() + "]" : "")
        .append(' '));
    s.verdicts().forEach((r, v) -> sb.append(r).append(":f").append(v.failingVoters()).append("s")
        .append(v.servingVoters()).append("i").append(v.isolatedVoters()).append(' '));
    String line = sb.toString();
    if (!line.equals(lastTrace)) {
      System.out.printf("+%6d %s%s%n", t - World.T0, line, s.decision() == null ? "" : " DECISION " + s.decision());
      lastTrace = line;
    }
  }

  private void agentTick(AgentState a, long t) {
    boolean silent = world.agentSilent(a.spec.id(), t);
    boolean buffering = world.agentBuffers(a.spec.id(), t);
    if (silent && !buffering) {
      if (!a.wasSilent && wire.nextBoolean()) {
        a.boot(t); // dead (it comes back as a new boot), not frozen
      }
      a.wasSilent = true;
      a.pending.clear();
      return; // frozen or dead: no probes, no reports
    }
    probeDue(a, t);
    // results go out at once (edge-triggered in the real agent), otherwise a heartbeat per second
    if (a.pending.isEmpty() && t - a.lastReportAt < 1_000 && !(a.wasSilent && !buffering)) {
      return;
    }
    long sentAt = t + a.spec.skewMs();
    Report report = new Report(Report.VERSION, a.spec.region(), 1, a.spec.id(), a.bootId, ++a.counter,
        t - a.bootedAt, 0, sentAt, List.copyOf(a.pending));
    a.pending.clear();
    a.lastReportAt = t;
    if (buffering) {
      a.buffer.addLast(report);
      if (a.buffer.size() > BUFFER_LIMIT) {
        a.buffer.removeFirst();
      }
      return;
    }
    a.wasSilent = false;
    while (!a.buffer.isEmpty()) {
      deliver(a, a.buffer.removeFirst().sendingAt(t - a.bootedAt), t);
    }
    deliver(a, report, t);
  }

  /** Signs for sending now and delivers both paths' copies; the second must count as a duplicate. */
  private void deliver(AgentState a, Report report, long t) {
    byte[] frame = signers.get(report.region()).sign(report);
    long receivedAt = t + 1 + rnd.nextInt(20);
    ReportVerifier.Result r = verifier.verify(frame, receivedAt);
    if (!(r instanceof ReportVerifier.Accepted acc)) {
      violations.add("report of " + a.spec.id() + " rejected: " + r);
      return;
    }
    ReportVerifier.Result copy = verifier.verify(frame, receivedAt + wire.nextInt(30));
    if (!(copy instanceof ReportVerifier.Rejected dup) || dup.reason() != RejectReason.DUPLICATE) {
      violations.add("the second copy of a report of " + a.spec.id() + " was not a duplicate: " + copy);
    }
    if (report.heldMillis() > world.config.probes().maxReportAge().toMillis() && !acc.late()) {
      violations.add("a report of " + a.spec.id() + " held " + report.heldMillis() + " ms counted as fresh");
    }
    if (report.heldMillis() == 0 && acc.late()) {
      violations.add("a report of " + a.spec.id() + " (clock skew " + a.spec.skewMs() + " ms) sent at once was"
          + " judged late: " + acc);
    }
    if (acc.late()) {
      lateReports++;
    } else {
      heard.computeIfAbsent(a.spec.id(), k -> new ArrayList<>()).add(receivedAt);
    }
    aggregator.ingest(acc.report(), receivedAt, acc.late());
  }

  /** One probe target, resolved once. */
  private record Target(String region, EndpointConfig endpoint, long budgetMicros, String probeKeyPrefix) {}

  private List<Target> targets;

  private List<Target> targets() {
    if (targets == null) {
      targets = new ArrayList<>();
      for (RegionConfig r : world.config.regions()) {
        for (EndpointConfig e : r.endpoints()) {
          targets.add(new Target(r.name(), e, e.latencyBudget().toNanos() / 1000, ">" + r.name()));
        }
      }
    }
    return targets;
  }

  private void probeDue(AgentState a, long t) {
    List<Target> all = targets();
    if (a.nextProbe == null) {
      a.nextProbe = new long[all.size()];
      a.run = new int[all.size()];
      a.recovering = new boolean[all.size()];
      long interval = world.config.probes().interval().toMillis();
      for (int i = 0; i < all.size(); i++) {
        a.nextProbe[i] = t + (long) (rnd.nextDouble() * interval);
      }
    }
    long interval = world.config.probes().interval().toMillis();
    long confirm = world.config.probes().confirmAfter().toMillis();
    int downAfter = world.config.probes().downAfter();
    int upAfter = world.config.probes().upAfter();
    for (int i = 0; i < all.size(); i++) {
      if (t < a.nextProbe[i]) {
        continue;
      }
      Target target = all.get(i);
      EndpointConfig e = target.endpoint();
      World.Outcome o = world.probe(a.spec.region(), target.region(), e.id(), t, rnd);
      boolean failed = !o.ok() || o.latencyMicros() > target.budgetMicros();
      int prev = a.run[i];
      int run = failed ? (prev > 0 ? prev + 1 : 1) : (prev < 0 ? prev - 1 : -1);
      a.run[i] = run;
      if (!failed && prev > 0) {
        a.recovering[i] = true;
      } else if (failed || -run >= upAfter) {
        a.recovering[i] = false;
      }
      // like the agent: after a flip, confirm quickly until the threshold is reached
      boolean confirming = failed ? run < downAfter : a.recovering[i];
      a.nextProbe[i] = t + (confirming ? confirm : interval);
      long agentClock = t + a.spec.skewMs();
      a.pending.add(o.ok() ? Observation.up(target.region(), e.id(), o.latencyMicros(), o.status(), agentClock)
          : Observation.down(target.region(), e.id(), o.latencyMicros(), o.status(), o.failure(), agentClock));
      if (e.critical()) {
        a.probeLog(target.probeKeyPrefix()).add(new Probe(t, !failed));
      }
    }
  }

  /** The leader's reconciler collapsed into one tick: intent, fence, DNS, completion. */
  private void execute(Decision d, long t) {
    commit(d.toIntent(1, t, "c0"), d);
    commit(new Fenced(d.decisionId(), 1, t, "c0"), d);
    commit(new DnsCommitted(d.decisionId(), "embedded", d.weights(), null, 1, t, "c0"), d);
    commit(new Completed(d.decisionId(), t, false, "verified", 1, t, "c0"), d);
    executed.add(new Executed(t, d, control));
    for (Map<String, Integer> w : control.zone().weights().values()) {
      if (w.values().stream().allMatch(x -> x == 0)) {
        violations.add("every weight is zero after " + d.decisionId());
      }
    }
  }

  private void commit(JournalEntry e, Decision d) {
    index += 2;
    Applied a = control.apply(e, 1, index);
    if (!a.accepted()) {
      violations.add("journal refused " + e.getClass().getSimpleName() + " of " + d.decisionId() + ": " + a.detail());
    }
    control = a.state();
  }
}
