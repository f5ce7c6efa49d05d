package io.pharos.agent.report;

import io.pharos.core.model.Report;

/**
 * Where built reports go: the cluster transport, which signs each when it sends it (so a report
 * that waited in the agent carries its wait, see {@link Report#heldMillis()}), or a test's list.
 */
@FunctionalInterface
public interface ReportSink {
  /** Takes a report built now; never blocks. */
  void publish(Report report);
}
