package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.observe.AnswerSource;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.core.config.HostPort;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.Route53Sandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import io.pharos.testkit.sandbox.SandboxRegion.Component;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A {@link LocalSandbox} in this JVM: either started for the drill (and closed with it) or
 * shared (a test's, kept running between drills). Killed processes are restarted on revert.
 */
public final class SandboxEnvironment implements DrillEnvironment {
  private final LocalSandbox sandbox;
  private final boolean owned;

  /** @param owned true when the runner started it: it is closed, and its network torn down, with the drill */
  public SandboxEnvironment(LocalSandbox sandbox, boolean owned) {
    this.sandbox = sandbox;
    this.owned = owned;
  }

  public LocalSandbox localSandbox() {
    return sandbox;
  }

  @Override
  public String kind() {
    return "sandbox";
  }

  @Override
  public String describe() {
    return "local sandbox (" + sandbox.regions().size() + " regions, " + sandbox.networkMode().name().toLowerCase()
        + " network" + sandbox.route53().map(r -> ", Route 53 on moto_server behind the API proxy " + r.endpoint())
        .orElse("") + ") at " + sandbox.runDir();
  }

  @Override
  public boolean isSandbox() {
    return true;
  }

  @Override
  public void prepare(Duration timeout, Consumer<String> progress) {
    if (!sandbox.started()) {
      progress.accept("starting " + sandbox.regions().size() * 3 + " processes: an app, an agent and a controller per"
          + " region " + regions());
      sandbox.start();
    }
    SandboxReadiness.await(this, timeout, progress);
  }

  @Override
  public Optional<String> adminToken() {
    return Optional.of(sandbox.adminToken());
  }

  @Override
  public List<String> regions() {
    return sandbox.regions().stream().map(SandboxRegion::name).toList();
  }

  @Override
  public List<String> controllerUrls() {
    return sandbox.regions().stream().map(SandboxRegion::apiUrl).toList();
  }

  @Override
  public Optional<String> regionOfController(String id) {
    return sandbox.regions().stream().filter(r -> r.controllerId().equals(id)).map(SandboxRegion::name).findFirst();
  }

  @Override
  public List<HostPort> nameServers() {
    return sandbox.regions().stream().map(SandboxRegion::dnsAddress).toList();
  }

  @Override
  public String record() {
    return sandbox.recordName();
  }

  @Override
  public Map<String, Set<String>> addresses() {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    sandbox.regions().forEach(r -> m.put(r.name(), Set.of(r.target())));
    return m;
  }

  @Override
  public Optional<String> appUrl(String region) {
    return Optional.of(sandbox.region(region).appUrl());
  }

  @Override
  public Optional<String> agentUrl(String region) {
    return Optional.of(sandbox.region(region).agentUrl());
  }

  @Override
  public ProcessTarget process(String component, String region) {
    SandboxRegion r = sandbox.region(region);
    Component c = Component.valueOf(component.toUpperCase());
    if (r.process(c) == null) {
      throw new IllegalStateException(r.node(c) + " is not running");
    }
    return ProcessTarget.of(r.process(c), region, () -> sandbox.restart(r, c));
  }

  @Override
  public Optional<NetnsNetwork.Descriptor> network() {
    return sandbox.network().map(NetnsNetwork::descriptor);
  }

  @Override
  public Set<String> nodes(List<String> refs) {
    Set<String> out = new TreeSet<>();
    for (String ref : refs) {
      int at = ref.indexOf('@');
      if (at < 0) {
        out.addAll(sandbox.nodes(Set.of(ref)));
        continue;
      }
      Component c = Component.valueOf(ref.substring(0, at).toUpperCase());
      String region = ref.substring(at + 1);
      if (region.equals("*")) {
        sandbox.regions().forEach(r -> out.add(r.node(c)));
      } else {
        out.add(sandbox.region(region).node(c));
      }
    }
    return out;
  }

  @Override
  public Optional<String> notReady() {
    for (SandboxRegion r : sandbox.regions()) {
      Optional<String> n = notReady(r.name(), r.appUrl(), r.agentUrl(), r.apiUrl());
      if (n.isPresent()) {
        return n;
      }
    }
    return Optional.empty();
  }

  static Optional<String> notReady(String region, String app, String agent, String api) {
    if (!Http.get(app + "/healthz").map(x -> x.status() == 200).orElse(false)) {
      return Optional.of("the app of " + region + " does not answer " + app + "/healthz");
    }
    if (!ready(agent)) {
      return Optional.of("the agent of " + region + " is not ready (" + agent + "/ready)");
    }
    if (!ready(api)) {
      return Optional.of("the controller of " + region + " is not ready (" + api + "/ready)");
    }
    return Optional.empty();
  }

  static boolean ready(String base) {
    return Http.get(base + "/ready").map(x -> x.status() == 200).orElse(false);
  }

  @Override
  public Map<String, TcpChaosProxy> proxies() {
    return Map.of();
  }

  @Override
  public Optional<HttpChaosProxy> providerProxy() {
    return sandbox.route53().map(Route53Sandbox::proxy);
  }

  @Override
  public Optional<Integer> providerRequestBudget() {
    return sandbox.route53().map(r -> Route53Sandbox.REQUESTS_PER_SECOND);
  }

  /** On Route 53 the answer is what Route 53 holds (read from moto directly); else every controller's name server. */
  @Override
  public List<AnswerSource> answerSources() {
    return sandbox.route53().<List<AnswerSource>>map(r -> List.of(new AnswerSource() {
      @Override
      public String label() {
        return "Route 53 (moto_server " + r.motoUrl() + ", ListResourceRecordSets, sets of weight > 0)";
      }

      @Override
      public Set<String> ask() throws IOException {
        return r.answer(sandbox.recordName(), "A");
      }

      @Override
      public Duration interval() {
        return Duration.ofMillis(100);
      }
    })).orElseGet(DrillEnvironment.super::answerSources);
  }

  @Override
  public List<RevertSpec> cleanup() {
    return owned ? network().map(d -> List.of(RevertSpec.netns(NetnsNetwork.toJson(d)))).orElse(List.of()) : List.of();
  }

  @Override
  public void close() {
    if (owned) {
      sandbox.close();
    }
  }
}
