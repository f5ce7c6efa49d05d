package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.sandbox.SandboxDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A local sandbox another process started, reached through its {@code sandbox.json}: processes
 * are signalled by pid, partitions are rules in its namespaces. A killed process cannot be
 * restarted from here (its owner restarts it).
 */
public final class AttachedEnvironment implements DrillEnvironment {
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

  @Override
  public boolean isSandbox() {
    return true;
  }

  @Override
  public void prepare(Duration timeout, Consumer<String> progress) {
    SandboxReadiness.await(this, timeout, progress);
    d = SandboxDescriptor.read(file); // pids as they are now
  }

  @Override
  public List<String> regions() {
    return d.regions().stream().map(SandboxDescriptor.Region::name).toList();
  }

  @Override
  public List<String> controllerUrls() {
    return d.regions().stream().map(SandboxDescriptor.Region::apiUrl).toList();
  }

  @Override
  public Optional<String> regionOfController(String id) {
    return d.regions().stream().filter(r -> r.controllerId().equals(id)).map(SandboxDescriptor.Region::name)
        .findFirst();
  }

  @Override
  public List<HostPort> nameServers() {
    return d.regions().stream().map(r -> HostPort.parse(r.dns())).toList();
  }

  @Override
  public String record() {
    return d.record();
  }

  @Override
  public Map<String, Set<String>> addresses() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    d.regions().forEach(r -> m.put(r.name(), Set.of(r.target())));
    return m;
  }

  @Override
  public Optional<String> appUrl(String region) {
    return Optional.of(d.region(region).appUrl());
  }

  @Override
  public Optional<String> agentUrl(String region) {
    return Optional.of(d.region(region).agentUrl());
  }

  @Override
  public ProcessTarget process(String component, String region) {
    SandboxDescriptor.Region r = d.region(region);
    return switch (component) {
      case "app" -> ProcessTarget.ofPid(r.appNode(), region, r.appPid());
      case "agent" -> ProcessTarget.ofPid(r.agentNode(), region, r.agentPid());
      case "controller" -> ProcessTarget.ofPid(r.controllerNode(), region, r.controllerPid());
      default -> throw new IllegalArgumentException("no component " + component);
    };
  }

  @Override
  public Optional<NetnsNetwork.Descriptor> network() {
    return Optional.ofNullable(d.netns());
  }

  @Override
  public Set<String> nodes(List<String> refs) {
    Set<String> out = new TreeSet<>();
    for (String ref : refs) {
      int at = ref.indexOf('@');
      if (at < 0) {
        SandboxDescriptor.Region r = d.region(ref);
        out.addAll(List.of(r.appNode(), r.agentNode(), r.controllerNode()));
        continue;
      }
      String c = ref.substring(0, at);
      String region = ref.substring(at + 1);
      for (SandboxDescriptor.Region r : d.regions()) {
        if (region.equals("*") || region.equals(r.name())) {
          out.add(switch (c) {
            case "app" -> r.appNode();
            case "agent" -> r.agentNode();
            default -> r.controllerNode();
          });
        }
      }
      if (!region.equals("*")) {
        d.region(region);
      }
    }
    return out;
  }

  @Override
  public Optional<String> notReady() {
    for (SandboxDescriptor.Region r : d.regions()) {
      Optional<String> n = SandboxEnvironment.notReady(r.name(), r.appUrl(), r.agentUrl(), r.apiUrl());
      if (n.isPresent()) {
        return n;
      }
    }
    return Optional.empty();
  }

  @Override
  public Map<String, TcpChaosProxy> proxies() {
    return Map.of();
  }

  @Override
  public Optional<HttpChaosProxy> providerProxy() {
    return Optional.empty();
  }

  @Override
  public List<RevertSpec> cleanup() {
    return List.of();
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
