package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.sandbox.SandboxDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A local sandbox another process started, reached through its {@code sandbox.json}: processes
 * are signalled by pid, partitions are rules in its namespaces. A killed process cannot be
 * restarted from here (its owner restarts it), and the sandbox is not ours to stop.
 */
public final class AttachedEnvironment extends RegionalEnvironment {
  private final Path file;
  private volatile SandboxDescriptor d;

  public AttachedEnvironment(Path descriptorFile) {
    this.file = descriptorFile;
    this.d = SandboxDescriptor.read(descriptorFile);
    if (!ProcessHandle.of(d.ownerPid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalArgumentException("the sandbox at " + d.runDir() + " is not running (its owner, pid "
          + d.ownerPid() + ", is gone)");
    }
  }

  @Override
  public String kind() {
    return "attached sandbox";
  }

  @Override
  public String describe() {
    return "running local sandbox at " + d.runDir() + " (" + d.network().toLowerCase() + " network, owner pid "
        + d.ownerPid() + ")";
  }

  /** Reads the pids as they are now (the owner may have restarted processes while we waited). */
  @Override
  protected void afterReady() {
    d = SandboxDescriptor.read(file);
  }

  @Override
  protected List<Site> sites() {
    return d.regions().stream().map(r -> new Site(r.name(), r.appUrl(), r.agentUrl(), r.controllerId(), r.apiUrl(),
        HostPort.parse(r.dns()), Set.of(r.target()), Map.of("app", r.appNode(), "agent", r.agentNode(), "controller",
            r.controllerNode()))).toList();
  }

  /** The attached sandbox's operator token (its secrets directory, named in the descriptor). */
  @Override
  public Optional<String> token() {
    return d.secretsDir() == null ? super.token()
        : Optional.of(io.pharos.testkit.sandbox.SandboxSecrets.read(Path.of(d.secretsDir())).operator());
  }

  @Override
  public String record() {
    return d.record();
  }

  @Override
  public ProcessTarget process(String component, String region) {
    SandboxDescriptor.Region r = d.region(region);
    return switch (component) {
      case "app" -> ProcessTarget.ofPid(r.appNode(), region, r.appPid());
      case "agent" -> ProcessTarget.ofPid(r.agentNode(), region, r.agentPid());
      case "controller" -> ProcessTarget.ofPid(r.controllerNode(), region, r.controllerPid());
      default -> throw new IllegalArgumentException("no component '" + component + "': use one of " + COMPONENTS);
    };
  }

  @Override
  public Optional<NetnsNetwork.Descriptor> network() {
    return Optional.ofNullable(d.netns());
  }
}
