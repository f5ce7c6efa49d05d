package io.pharos.chaos.drill;

/** The runner will not start this drill here (practice-mode guards, missing --confirm); nothing was touched. */
public final class DrillRefusedException extends RuntimeException {
  public DrillRefusedException(String message) {
    super(message);
  }
}
