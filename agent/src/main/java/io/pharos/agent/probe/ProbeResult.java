package io.pharos.agent.probe;

import io.pharos.core.model.Observation;

/**
 * One finished probe, as the scheduler hands it on.
 *
 * @param target what was probed
 * @param observation the result
 * @param flip the result differs from the previous one (the first result counts as a flip when
 *     it fails: an endpoint is presumed up until seen otherwise)
 * @param confirmation this probe was a confirmation probe, run {@code confirmAfter} after the
 *     previous one instead of a whole interval later
 */
public record ProbeResult(ProbeTarget target, Observation observation, boolean flip, boolean confirmation) {
  /** Flips and confirmations are reported at once, not at the next heartbeat. */
  public boolean urgent() {
    return flip || confirmation;
  }
}
