package io.pharos.core.journal;

/** Where an intent is: COMMITTED → FENCED → SHIFTED → DONE, or ABORTED from any unfinished phase. */
public enum IntentPhase {
  COMMITTED,
  FENCED,
  SHIFTED,
  DONE,
  ABORTED;

  public boolean finished() {
    return this == DONE || this == ABORTED;
  }
}
