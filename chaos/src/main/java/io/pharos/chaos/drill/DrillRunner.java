package io.pharos.chaos.drill;

import io.pharos.chaos.fault.Fault;
import io.pharos.chaos.fault.FaultInjector;
import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.report.DrillReport.FaultLine;
import io.pharos.chaos.report.DrillReport.StepResult;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.chaos.watchdog.LeaseFile;
import io.pharos.chaos.watchdog.WatchdogLauncher;
import io.pharos.core.model.PharosEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs one scenario against one environment: checks the guards, starts the watchdog, injects,
 * sends operator commands, waits, asserts and reverts step by step while watching for abort conditions, always reverts
 * every fault at the end, and returns the measured {@link DrillReport}.
 */
public final class DrillRunner {
  /**
   * @param practice practice mode: refuse unless recovered, blast radius one region, abort on a real incident
   * @param confirmed --confirm: allowed to touch a deployment
   * @param workDir where the lease file and the watchdog's log go
   * @param watchdog start a detached watchdog (tests of the runner itself may turn it off)
   */
  public record Options(boolean practice, boolean confirmed, Path workDir, boolean watchdog, Duration prepareTimeout) {}

  private final DrillEnvironment env;
  private final Options options;
  private final DrillListener listener;

  public DrillRunner(DrillEnvironment env, Options options, DrillListener listener) {
    this.env = env;
    this.options = options;
    this.listener = listener;
  }

  public DrillReport run(Scenario s) {
    long started = System.currentTimeMillis();
    if (s.pending() != null) {
      DrillReport r = ReportBuilder.pending(s, env == null ? "not started" : env.describe(), started);
      listener.finished(r);
      return r;
    }
    guardBefore(s);
    listener.started(s, env.describe());
    env.prepare(options.prepareTimeout(), listener::line);
    Run run = new Run(s, System.currentTimeMillis());
    return run.execute();
  }

  private void guardBefore(Scenario s) {
    if (DrillEnvironments.needsPartitions(s) && env.network().isEmpty()) {
      throw new DrillRefusedException("this drill partitions the network: it needs a local sandbox on the namespace"
          + " network (environment: {sandbox: {network: netns}}, as root with iproute2 and iptables); "
          + env.describe() + " has none");
    }
    if (!env.isSandbox() && !options.confirmed()) {
      throw new DrillRefusedException("refusing to touch " + env.describe() + " without --confirm; this drill would: "
          + String.join("; ", s.steps().stream().filter(x -> x instanceof Scenario.Inject
              || x instanceof Scenario.Operator).map(Scenario.Step::describe).toList()));
    }
    if (!env.isSandbox() && !options.practice()) {
      throw new DrillRefusedException("a drill against a deployment runs in practice mode only: add --practice");
    }
    if (options.practice()) {
      SandboxReadiness.notRecovered(env).ifPresent(why -> {
        throw new DrillRefusedException("practice mode refuses to start: not every region is healthy (" + why + ")");
      });
    }
  }

  /** The state of one run. */
  private final class Run implements FaultInjector.Listener {
    final Scenario s;
    final long started;
    final String runTag;
    final List<StepResult> steps = new ArrayList<>();
    final Map<String, FaultLine> faults = new LinkedHashMap<>();
    final Set<String> touched = new TreeSet<>();
    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    Observer observer;
    Conditions conditions;
    FaultFactory factory;
    Long faultAt;
    Long lastRevertAt;
    Long lastOperatorAt;
    Long recoveredAt;
    String aborted;
    LeaseFile lease;

    Run(Scenario s, long started) {
      this.s = s;
      this.started = started;
      this.runTag = "drill-" + s.name().replaceAll("[^a-z0-9-]", "") + "-" + Long.toHexString(started);
    }

    DrillReport execute() {
      Path leasePath = options.workDir().resolve("lease-" + runTag + ".json");
      try {
        Files.createDirectories(options.workDir());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create " + options.workDir() + ": " + e.getMessage(), e);
      }
      observer = new Observer(env, started, env.lagUrl(s.lagSource()), this::event).start();
      conditions = new Conditions(env, observer);
      factory = new FaultFactory(env, observer, runTag);
      s.expect().failoverRegions().forEach(observer::watchResolvers);
      try (LeaseFile lease = new LeaseFile(leasePath, runTag);
          FaultInjector injector = new FaultInjector(Optional.of(lease), this)) {
        this.lease = lease;
        lease.cleanup(env.cleanup());
        if (options.watchdog()) {
          long pid = WatchdogLauncher.start(leasePath, Duration.ofSeconds(30));
          listener.line("watchdog " + pid + " guards the faults of " + runTag + " (" + leasePath + ")");
        }
        awaitLeaderSeen();
        if (options.practice()) {
          practiceBlastRadius();
        }
        steps(injector);
        injector.revertAll(aborted != null ? "drill aborted" : "drill ended");
      } catch (DrillRefusedException e) {
        throw e;
      } catch (RuntimeException e) {
        problems.add("the drill stopped with an error: " + e.getMessage());
        listener.line("ERROR: " + e.getMessage());
      } finally {
        observer.drain();
        observer.close();
      }
      List<String> left = factory.leftoverRules();
      if (!left.isEmpty()) {
        problems.add("iptables rules of this drill left behind: " + left);
      }
      DrillReport r = new ReportBuilder(s, env, options.practice(), started, observer, conditions).build(steps,
          new ArrayList<>(faults.values()), faultAt, recoveredAt, aborted, problems, notes);
      listener.finished(r);
      return r;
    }

    private void awaitLeaderSeen() {
      long deadline = System.currentTimeMillis() + 10_000;
      while (observer.leaderId().isEmpty() && System.currentTimeMillis() < deadline) {
        sleep(50);
      }
    }

    private void practiceBlastRadius() {
      for (Scenario.Step st : s.steps()) {
        if (st instanceof Scenario.Inject i) {
          touched.addAll(factory.regions(i));
        } else if (st instanceof Scenario.Operator op) {
          touched.add(op.region());
        }
      }
      if (touched.size() > 1) {
        throw new DrillRefusedException("practice mode limits the blast radius to one region; this drill touches "
            + touched);
      }
    }

    private void steps(FaultInjector injector) {
      List<Scenario.Step> list = s.steps();
      for (int i = 0; i < list.size(); i++) {
        Scenario.Step st = list.get(i);
        listener.step(i, list.size(), st.describe());
        long t0 = System.currentTimeMillis();
        String failure;
        String detail = "";
        try {
          Outcome o = runStep(st, injector);
          failure = o.failure;
          detail = o.detail;
        } catch (RuntimeException e) {
          failure = e.getMessage();
        }
        if (failure == null && aborted == null) {
          failure = abortReason();
          if (failure != null) {
            aborted = failure;
          }
        }
        String status = failure == null ? "PASSED" : aborted != null ? "ABORTED" : "FAILED";
        steps.add(new StepResult(i + 1, st.line(), st.describe(), status, t0, System.currentTimeMillis(),
            failure == null ? detail : failure));
        if (failure != null) {
          problems.add("step " + (i + 1) + " (line " + st.line() + ", " + st.describe() + "): " + failure);
          listener.line((aborted != null ? "ABORT: " : "FAILED: ") + failure);
          for (int j = i + 1; j < list.size(); j++) {
            steps.add(new StepResult(j + 1, list.get(j).line(), list.get(j).describe(), "SKIPPED", null, null,
                "not run after step " + (i + 1) + " " + status.toLowerCase()));
          }
          return;
        }
      }
    }

    private record Outcome(String failure, String detail) {}

    private Outcome runStep(Scenario.Step st, FaultInjector injector) {
      if (st instanceof Scenario.Inject i) {
        Fault f = factory.create(i);
        touched.addAll(f.regions());
        String phase = observer.leaderStatus().map(j -> j.path("pending")).filter(p -> !p.isNull() && !p.isMissingNode())
            .map(p -> "intent " + p.path("decisionId").asText() + " was in phase " + p.path("phase").asText())
            .orElse("no intent was in progress");
        injector.inject(f, i.lease());
        if (faultAt != null && faultAt < System.currentTimeMillis() - 1) {
          notes.add("when " + i.id() + " was injected, " + phase + " (as last seen from the leader)");
        }
        return new Outcome(null, f.describe() + "; " + phase);
      }
      if (st instanceof Scenario.Operator op) {
        touched.add(op.region());
        if (faultAt == null) {
          faultAt = System.currentTimeMillis(); // the drill's first change is its time origin
        }
        String[] result = OperatorCalls.send(env, op, runTag, observer.leaderStatus());
        lastOperatorAt = System.currentTimeMillis();
        listener.line("OPERATOR " + op.command() + " " + op.region() + ": " + (result[0] == null ? result[1] : result[0]));
        return new Outcome(result[0], result[1]);
      }
      if (st instanceof Scenario.Revert r) {
        if (r.id().equals("all")) {
          injector.revertAll("revert step");
        } else {
          injector.revert(r.id(), "revert step");
        }
        return new Outcome(null, "");
      }
      if (st instanceof Scenario.Assert a) {
        Conditions.Result res = conditions.check(a.that());
        return new Outcome(res.holds() ? null : "expected " + a.that().describe() + ", but " + res.seen(), res.seen());
      }
      Scenario.Wait w = (Scenario.Wait) st;
      long t0 = System.currentTimeMillis();
      long until = t0 + (w.until() == null ? w.hold() : w.within()).toMillis();
      while (true) {
        String abort = abortReason();
        if (abort != null) {
          aborted = abort;
          return new Outcome(abort, "");
        }
        long now = System.currentTimeMillis();
        if (w.until() != null) {
          Conditions.Result res = conditions.check(w.until());
          if (res.holds()) {
            if (w.until().kind().equals("recovered") && (lastRevertAt != null || lastOperatorAt != null)
                && recoveredAt == null) {
              recoveredAt = now;
            }
            return new Outcome(null, res.seen() + " after " + (now - t0) / 1000.0 + " s");
          }
          if (now > until) {
            return new Outcome("not reached within " + w.within().toMillis() / 1000.0 + " s (" + res.seen() + ")",
                res.seen());
          }
        } else if (now >= until) {
          return new Outcome(null, "observed " + (now - t0) / 1000.0 + " s");
        }
        listener.tick(now - started);
        sleep(w.until() != null && w.until().kind().equals("recovered") ? 250 : 50);
      }
    }

    /** Why the drill must stop now, or null. */
    private String abortReason() {
      if (lease != null) {
        Optional<String> revoked = lease.revoked();
        if (revoked.isPresent()) {
          return "the fault watchdog reverted every fault of this run (" + revoked.get() + "); a later fault would"
              + " be unguarded, so the drill stops here";
        }
      }
      if (System.currentTimeMillis() - started > s.abort().after().toMillis()) {
        return "the drill ran longer than abort.after (" + s.abort().after().toSeconds() + " s)";
      }
      Set<String> allowed = new TreeSet<>(s.expect().failoverRegions());
      if (s.expect().maxFailovers() != null) {
        allowed.addAll(touched);
      }
      if (s.abort().unexpectedFailover() || options.practice()) {
        for (PharosEvent e : conditions.failovers()) {
          if (!allowed.contains(e.region())) {
            return "unexpected failover of " + e.region() + " (" + e.detail() + ")"
                + (options.practice() ? ": a real incident? reverting everything and stopping" : "");
          }
        }
      }
      if (s.abort().otherRegionUnhealthy() || options.practice()) {
        var leader = observer.leaderStatus();
        if (leader.isPresent()) {
          for (String r : env.regions()) {
            String state = leader.get().path("regions").path(r).path("state").asText("HEALTHY");
            if (!touched.contains(r) && !s.expect().failoverRegions().contains(r) && !"HEALTHY".equals(state)) {
              return "region " + r + ", which this drill does not touch, is " + state
                  + ": a real incident? reverting everything and stopping";
            }
          }
        }
      }
      return null;
    }

    private void event(PharosEvent e) {
      String since = faultAt == null ? "" : String.format("%+.3f s ", (e.at() - faultAt) / 1000.0);
      listener.line(since + e.type() + " " + (e.region() == null ? "" : e.region() + " ")
          + (e.code() == null ? "" : e.code() + " ") + (e.detail() == null ? "" : e.detail()));
    }

    @Override
    public void injected(Fault f, long at) {
      if (faultAt == null) {
        faultAt = at;
      }
      faults.put(f.id(), new FaultLine(f.id(), f.kind(), f.describe(), at, null, null));
      listener.line("FAULT in: " + f.id() + ": " + f.describe());
    }

    @Override
    public void reverted(Fault f, long at, String why) {
      FaultLine old = faults.get(f.id());
      faults.put(f.id(), new FaultLine(f.id(), f.kind(), f.describe(), old == null ? null : old.injectedAt(), at, why));
      lastRevertAt = at;
      listener.line("FAULT out: " + f.id() + " (" + why + ")");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
