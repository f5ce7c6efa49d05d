package io.pharos.controller.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pharos.core.model.PharosEvent;
import java.util.List;

/** What the HTTP API reads from a running controller. Every method is cheap and non-blocking. */
public interface ControllerView {
  /** {@code /v1/status}: role, leader, term, regions, weights, zone, analyses, counters. */
  ObjectNode status();

  /** Timeline events at or after {@code sinceMillis}, oldest first. */
  List<PharosEvent> events(long sinceMillis);

  /** {@code /ready}: the checks and whether all pass. */
  ObjectNode readiness();

  boolean ready();

  /** {@code /v1/controllers}: this controller's seat in the Raft group, and the leader's view of the others. */
  ObjectNode controllers();

  /** Prometheus text exposition. */
  String metrics();
}
