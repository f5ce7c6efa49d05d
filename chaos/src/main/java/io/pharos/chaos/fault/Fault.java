package io.pharos.chaos.fault;

import java.util.List;
import java.util.Set;

/**
 * One fault a drill injects. Both directions are idempotent: injecting an injected fault or
 * reverting one that is not injected does nothing. Every fault says how a process other than the
 * runner undoes it ({@link #watchdogReverts()}) so that no fault outlives the runner.
 */
public interface Fault {
  /** Unique within a drill (the scenario step's id). */
  String id();

  /** kill, freeze, endpoint, flap, partition, proxy or dns-provider. */
  String kind();

  /** For people: what exactly is done to what ({@code SIGSTOP agent-us-east (pid 4711)}). */
  String describe();

  /** Regions the fault touches (the blast radius). */
  Set<String> regions();

  /** Resolves what the fault will hit (a leader's pid) so the watchdog knows it before injection. */
  default void prepare() {}

  void inject();

  void revert();

  boolean injected();

  /** What the watchdog does to undo it if the runner dies; empty when dying with the runner undoes it. */
  List<RevertSpec> watchdogReverts();
}
