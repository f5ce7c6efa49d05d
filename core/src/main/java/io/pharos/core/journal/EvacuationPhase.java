package io.pharos.core.journal;

/**
 * Where an evacuation is. RUNNING → EVACUATED when its last step is done; RUNNING → ABORTING when
 * an operator aborts it or a step is aborted. An evacuation leaves the state when the region is
 * back at its configured weight (failback from EVACUATED, or the restore of an ABORTING one), or
 * when the region is failed over while it is being evacuated.
 */
public enum EvacuationPhase {
  /** Steps are being taken, each after the hold and only while the health gate holds. */
  RUNNING,
  /** Aborted: the weights from before the evacuation are being restored. */
  ABORTING,
  /** The last step is done: the region is out of traffic until an operator fails it back. */
  EVACUATED
}
