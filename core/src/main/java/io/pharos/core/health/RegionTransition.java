package io.pharos.core.health;

/** The only moves {@link RegionHealth} may make. */
public enum RegionTransition {
  HEALTHY_TO_SUSPECT(RegionState.HEALTHY, RegionState.SUSPECT),
  SUSPECT_TO_HEALTHY(RegionState.SUSPECT, RegionState.HEALTHY),
  SUSPECT_TO_DOWN(RegionState.SUSPECT, RegionState.DOWN),
  DOWN_TO_RECOVERING(RegionState.DOWN, RegionState.RECOVERING),
  RECOVERING_TO_DOWN(RegionState.RECOVERING, RegionState.DOWN),
  RECOVERING_TO_HEALTHY(RegionState.RECOVERING, RegionState.HEALTHY);

  private final RegionState from;
  private final RegionState to;

  RegionTransition(RegionState from, RegionState to) {
    this.from = from;
    this.to = to;
  }

  public RegionState from() {
    return from;
  }

  public RegionState to() {
    return to;
  }

  public static RegionTransition between(RegionState from, RegionState to) {
    for (RegionTransition t : values()) {
      if (t.from == from && t.to == to) {
        return t;
      }
    }
    throw new IllegalTransitionException(from, to);
  }

  /** A move the state machine does not allow. */
  public static final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(RegionState from, RegionState to) {
      super("region health cannot move from " + from + " to " + to);
    }
  }
}
