package io.pharos.agent.probe;

import io.pharos.core.model.Observation;
import io.vertx.core.Future;

/**
 * Runs one probe. The returned future always succeeds: a failed probe is a failed
 * {@link Observation} with its {@link io.pharos.core.model.FailureKind}, never a failed future.
 * Implementations finish within the endpoint's timeout (plus event-loop scheduling).
 */
@FunctionalInterface
public interface Probe {
  Future<Observation> probe(ProbeTarget target);
}
