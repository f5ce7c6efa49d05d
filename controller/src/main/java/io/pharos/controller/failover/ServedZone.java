package io.pharos.controller.failover;

import io.pharos.core.decision.MinorityZone;
import io.pharos.core.decision.Step;
import io.pharos.core.journal.Journal;
import io.pharos.core.journal.ZoneState;
import java.util.function.Supplier;

/**
 * The zone this controller's embedded name server answers from, refreshed by the control-plane
 * watch (every 250 ms), by every decision step and every applied entry, and read on every query:
 * <ul>
 *   <li>nothing (SERVFAIL) until this replica has caught up with the journal once since it
 *       started - never again after that;</li>
 *   <li>the committed zone while it is with a majority of the controllers;</li>
 *   <li>without a majority, the last committed zone minus the regions its own region's agents see
 *       failing, never adding one and never the last one ({@link MinorityZone}).</li>
 * </ul>
 */
public final class ServedZone implements Supplier<ZoneState> {
  private final Journal raft;
  private final String ownRegion;
  private volatile Step latestStep;
  private volatile ZoneState served;
  private volatile boolean majority;

  public ServedZone(Journal raft, String ownRegion) {
    this.raft = raft;
    this.ownRegion = ownRegion;
  }

  public void refresh() {
    if (!raft.caughtUp()) {
      served = null;
      return;
    }
    ZoneState committed = raft.state().zone();
    majority = raft.inMajority();
    Step step = majority ? null : latestStep;
    served = step == null ? committed : MinorityZone.serve(committed, ownRegion, step.seenFailingBy(ownRegion));
  }

  /** After a decision step: without a majority, what the own agents see may change what is served. */
  public void onStep(Step step) {
    latestStep = step;
    if (!majority) {
      refresh();
    }
  }

  /** Whether what is served differs from the committed zone (a minority removed regions). */
  public boolean reduced() {
    ZoneState s = served;
    return s != null && s != raft.state().zone() && !s.weights().equals(raft.state().zone().weights());
  }

  @Override
  public ZoneState get() {
    return served;
  }
}
