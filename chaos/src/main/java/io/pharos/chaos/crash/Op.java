package io.pharos.chaos.crash;

/**
 * One fault of a crash schedule, on one region's component, during [at, at + durationMs) after the
 * schedule starts.
 */
public record Op(Kind kind, String region, long at, long durationMs) {
  /** What is done. */
  public enum Kind {
    /** kill -9 the region's controller; restarted at the end of the window. */
    KILL_CONTROLLER,
    /** SIGSTOP the region's controller; SIGCONT at the end. */
    FREEZE_CONTROLLER,
    /** Cut the region's controller off from the other controllers; healed at the end. */
    PARTITION_CONTROLLER,
    /** kill -9 the region's app (a real region loss); restarted at the end. */
    KILL_APP;

    public boolean controller() {
      return this != KILL_APP;
    }
  }

  public long end() {
    return at + durationMs;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase() + " " + region + " @" + at + "ms for " + durationMs + "ms";
  }
}
