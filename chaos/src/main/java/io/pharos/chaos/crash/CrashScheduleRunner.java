package io.pharos.chaos.crash;

import io.pharos.testkit.net.PartitionInjector;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plays crash schedules on a sandbox whose processes each live in their own network namespace,
 * restores everything, waits for the sandbox to settle, and checks the recorded history. Every
 * schedule is bounded in time; a sandbox that does not settle within two minutes is a failure.
 */
public final class CrashScheduleRunner {
  /** When an op really ran (wall clock). */
  public record Window(Op op, long from, long to) {}

  /** The result of one schedule. */
  public record Result(CrashSchedule schedule, List<Window> windows, List<String> violations, int decisions,
      List<String> selfExits) {}

  private final LocalSandbox sandbox;
  private final PrintStream out;
  private final List<String> selfExits = new ArrayList<>();

  public CrashScheduleRunner(LocalSandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  public Result run(CrashSchedule schedule) {
    settle();
    selfExits.clear();
    long t0 = System.currentTimeMillis();
    List<Window> windows = new ArrayList<>();
    Map<Op, Long> started = new HashMap<>();
    Map<Op, PartitionInjector.Cut> cuts = new HashMap<>();
    List<long[]> agenda = new ArrayList<>();
    for (int i = 0; i < schedule.ops().size(); i++) {
      Op op = schedule.ops().get(i);
      agenda.add(new long[] {op.at(), i, 1});
      agenda.add(new long[] {op.end(), i, 0});
    }
    agenda.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
    for (long[] step : agenda) {
      long wait = t0 + step[0] - System.currentTimeMillis();
      if (wait > 0) {
        pause(wait);
      }
      Op op = schedule.ops().get((int) step[1]);
      if (step[2] == 1) {
        if (inject(op, cuts)) {
          started.put(op, System.currentTimeMillis());
        }
      } else if (started.containsKey(op)) {
        revert(op, cuts, started);
        windows.add(new Window(op, started.remove(op), System.currentTimeMillis()));
      }
    }
    long end = t0 + schedule.lengthMs() - System.currentTimeMillis();
    if (end > 0) {
      pause(end);
    }
    boolean settled = settle();
    HistoryChecker.History h = HistoryChecker.collect(sandbox, t0);
    List<String> violations = new ArrayList<>(HistoryChecker.check(h, windows));
    if (!settled) {
      violations.add("the sandbox did not settle (healthy, nothing out, nothing pending) within 2 minutes");
    }
    Result r = new Result(schedule, windows, violations, h.decisions().size(), List.copyOf(selfExits));
    out.printf("schedule seed %d: %s -> %d decisions, %s%s%n", schedule.seed(), schedule.ops(), r.decisions(),
        violations.isEmpty() ? "ok" : "VIOLATIONS " + violations,
        selfExits.isEmpty() ? "" : " (restarted after exiting on their own: " + selfExits + ")");
    return r;
  }

  private boolean inject(Op op, Map<Op, PartitionInjector.Cut> cuts) {
    SandboxRegion r = sandbox.region(op.region());
    switch (op.kind()) {
      case KILL_APP -> r.app().kill();
      case KILL_CONTROLLER -> {
        if (!r.controller().isAlive() || r.controller().isFrozen()) {
          return false;
        }
        r.controller().kill();
      }
      case FREEZE_CONTROLLER -> {
        if (!r.controller().isAlive() || r.controller().isFrozen()) {
          return false;
        }
        r.controller().freeze();
      }
      case PARTITION_CONTROLLER -> {
        Set<String> others = sandbox.regions().stream().filter(x -> x != r).map(SandboxRegion::controllerId)
            .collect(Collectors.toSet());
        cuts.put(op, sandbox.partition(Set.of(r.controllerId()), others));
      }
      default -> throw new IllegalStateException(op.kind().name());
    }
    return true;
  }

  private void revert(Op op, Map<Op, PartitionInjector.Cut> cuts, Map<Op, Long> active) {
    SandboxRegion r = sandbox.region(op.region());
    switch (op.kind()) {
      case KILL_APP -> {
        boolean stillDown = active.keySet().stream().anyMatch(o -> o != op && o.kind() == Op.Kind.KILL_APP
            && o.region().equals(op.region()));
        if (!stillDown && !r.app().isAlive()) {
          sandbox.startApp(r);
        }
      }
      case KILL_CONTROLLER -> sandbox.startController(r);
      case FREEZE_CONTROLLER -> r.controller().resume();
      case PARTITION_CONTROLLER -> sandbox.heal(cuts.remove(op));
      default -> throw new IllegalStateException(op.kind().name());
    }
  }

  /**
   * Waits until every region is healthy, back in traffic, and no decision is pending; meanwhile it
   * restarts a controller that exits on its own, as its supervisor would.
   */
  public boolean settle() {
    for (SandboxRegion r : sandbox.regions()) {
      if (!r.app().isAlive()) {
        sandbox.startApp(r);
      }
      if (r.controller().isFrozen()) {
        r.controller().resume();
      }
      if (!r.controller().isAlive()) {
        sandbox.startController(r);
      }
    }
    sandbox.heal();
    try {
      LocalSandbox.await(Duration.ofSeconds(120), "a settled sandbox", () -> {
        selfExits.addAll(sandbox.restartExitedControllers());
        return sandbox.settled();
      });
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
