package io.pharos.chaos.fault;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * kill -9 or SIGSTOP of one process. The target is resolved when the fault is injected, so
 * {@code controller@leader} means the leader at that moment. Reverting a freeze sends SIGCONT;
 * reverting a kill restarts the process where the runner owns it.
 */
public final class ProcessFault extends AbstractFault {
  /** What is done to the process. */
  public enum Action {
    KILL,
    FREEZE
  }

  private final Action action;
  private final String label;
  private final Supplier<ProcessTarget> resolve;
  private volatile ProcessTarget target;
  private volatile String note = "";

  public ProcessFault(String id, Action action, String label, String region, Supplier<ProcessTarget> resolve) {
    super(id, region == null ? Set.of() : Set.of(region));
    this.action = action;
    this.label = label;
    this.resolve = resolve;
  }

  @Override
  public String kind() {
    return action == Action.KILL ? "kill" : "freeze";
  }

  @Override
  public String describe() {
    ProcessTarget t = target;
    String what = t == null ? label : t.name() + " (pid " + t.pid() + ")";
    return (action == Action.KILL ? "kill -9 " : "SIGSTOP ") + what + note;
  }

  /** The process the fault hit, once injected. */
  public ProcessTarget target() {
    return target;
  }

  @Override
  public synchronized void prepare() {
    if (target == null) {
      target = resolve.get();
    }
  }

  @Override
  protected void doInject() {
    prepare();
    ProcessTarget t = target;
    if (action == Action.KILL) {
      t.kill();
    } else {
      t.freeze();
    }
  }

  @Override
  protected void doRevert() {
    ProcessTarget t = target;
    if (action == Action.FREEZE) {
      t.resume();
    } else if (t.restarter().isPresent()) {
      t.restarter().get().run();
      note = "; restarted";
    } else {
      note = "; not restarted (this runner does not own the process)";
    }
  }

  @Override
  public List<RevertSpec> watchdogReverts() {
    ProcessTarget t = target;
    if (action == Action.FREEZE && t != null) {
      return List.of(RevertSpec.sigcont(t.pid()));
    }
    return List.of();
  }
}
