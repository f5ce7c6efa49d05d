package io.pharos.testkit.sandbox;

import io.pharos.core.config.HostPort;
import io.pharos.testkit.proc.ManagedProcess;

/**
 * One region of a local sandbox: its processes, their addresses and ports.
 *
 * @param name region name
 * @param target the address DNS answers for this region
 * @param appPort the app endpoint's HTTP port
 * @param agentPort the agent's HTTP port ({@code /v1/mode}, {@code /ready})
 * @param controllerId the region's controller
 * @param apiPort the controller's admin/status HTTP port
 * @param dnsPort the controller's embedded DNS port (UDP and TCP)
 * @param hosts the address of each process (127.0.0.1 on loopback, its namespace's address on NETNS)
 */
public record SandboxRegion(
    String name, String target, int appPort, int agentPort, String controllerId, int apiPort, int dnsPort,
    int raftPort, int hazelcastPort, Processes processes, Hosts hosts) {

  /** Every process on loopback (the original layout). */
  public SandboxRegion(String name, String target, int appPort, int agentPort, String controllerId, int apiPort,
      int dnsPort, int raftPort, int hazelcastPort, Processes processes) {
    this(name, target, appPort, agentPort, controllerId, apiPort, dnsPort, raftPort, hazelcastPort, processes,
        Hosts.LOOPBACK);
  }

  /** Where the app, the agent and the controller of a region listen. */
  public record Hosts(String app, String agent, String controller) {
    public static final Hosts LOOPBACK = new Hosts("127.0.0.1", "127.0.0.1", "127.0.0.1");
  }

  /** A process of a region. */
  public enum Component {
    APP,
    AGENT,
    CONTROLLER
  }

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

  public ManagedProcess process(Component c) {
    return switch (c) {
      case APP -> app();
      case AGENT -> agent();
      case CONTROLLER -> controller();
    };
  }

  /** The network node (namespace) name of a component: {@code app-<region>}, {@code agent-<region>}, {@code c-<region>}. */
  public String node(Component c) {
    return switch (c) {
      case APP -> "app-" + name;
      case AGENT -> "agent-" + name;
      case CONTROLLER -> controllerId;
    };
  }

  public String apiUrl() {
    return "http://" + hosts.controller() + ":" + apiPort;
  }

  public String agentUrl() {
    return "http://" + hosts.agent() + ":" + agentPort;
  }

  public String appUrl() {
    return "http://" + hosts.app() + ":" + appPort;
  }

  /** The controller's embedded name server. */
  public HostPort dnsAddress() {
    return new HostPort(hosts.controller(), dnsPort);
  }
}
