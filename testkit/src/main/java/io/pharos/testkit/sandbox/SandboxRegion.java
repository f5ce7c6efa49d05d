package io.pharos.testkit.sandbox;

import io.pharos.testkit.proc.ManagedProcess;

/**
 * One region of a local sandbox: its processes and loopback ports.
 *
 * @param name region name
 * @param target the address DNS answers for this region
 * @param appPort the app endpoint's HTTP port
 * @param agentPort the agent's HTTP port ({@code /v1/mode}, {@code /ready})
 * @param controllerId the region's controller
 * @param apiPort the controller's admin/status HTTP port
 * @param dnsPort the controller's embedded DNS port (UDP and TCP)
 */
public record SandboxRegion(
    String name, String target, int appPort, int agentPort, String controllerId, int apiPort, int dnsPort,
    int raftPort, int hazelcastPort, Processes processes) {

  /** The region's processes; null until started. */
  public static final class Processes {
    volatile ManagedProcess app;
    volatile ManagedProcess agent;
    volatile ManagedProcess controller;

    public ManagedProcess app() {
      return app;
    }

    public ManagedProcess agent() {
      return agent;
    }

    public ManagedProcess controller() {
      return controller;
    }
  }

  public ManagedProcess app() {
    return processes.app;
  }

  public ManagedProcess agent() {
    return processes.agent;
  }

  public ManagedProcess controller() {
    return processes.controller;
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  public String agentUrl() {
    return "http://127.0.0.1:" + agentPort;
  }

  public String appUrl() {
    return "http://127.0.0.1:" + appPort;
  }
}
