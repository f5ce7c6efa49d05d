package io.pharos.agent.probe;

/**
 * A probe that was not made: the agent itself had no room for it (every connection it allows to the
 * endpoint's host is in use). It says nothing about the endpoint, so it is neither a result nor a
 * failure: the scheduler counts it and tries again at the next interval. Without it, a probe queued
 * behind the others would spend its timeout waiting inside the agent and be reported as TIMEOUT: an
 * overloaded agent would look like a failing region.
 */
public final class ProbeSkipped extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProbeSkipped(String why) {
    super(why, null, false, false);
  }
}
