package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.RevertSpec;
import io.pharos.chaos.observe.AnswerSource;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proxy.HttpChaosProxy;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.Route53Sandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import io.pharos.testkit.sandbox.SandboxRegion.Component;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link LocalSandbox} in this JVM: either started for the drill (and closed with it) or
 * shared (a test's, kept running between drills). Killed processes are restarted on revert.
 */
public final class SandboxEnvironment extends RegionalEnvironment {
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
  protected void start(Consumer<String> progress) {
    if (!sandbox.started()) {
      progress.accept("starting " + sandbox.regions().size() * 3 + " processes: an app, an agent and a controller per"
          + " region " + regions());
      sandbox.start();
    }
  }

  @Override
  protected List<Site> sites() {
    return sandbox.regions().stream().map(r -> new Site(r.name(), r.appUrl(), r.agentUrl(), r.controllerId(),
        r.apiUrl(), r.dnsAddress(), Set.of(r.target()), Map.of("app", r.node(Component.APP), "agent",
            r.node(Component.AGENT), "controller", r.node(Component.CONTROLLER)))).toList();
  }

  @Override
  public Optional<String> token() {
    return Optional.of(sandbox.operatorToken());
  }

  @Override
  public String record() {
    return sandbox.recordName();
  }

  @Override
  public ProcessTarget process(String component, String region) {
    if (!COMPONENTS.contains(component)) {
      throw new IllegalArgumentException("no component '" + component + "': use one of " + COMPONENTS);
    }
    SandboxRegion r = sandbox.region(region);
    Component c = Component.valueOf(component.toUpperCase(Locale.ROOT));
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
    })).orElseGet(super::answerSources);
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
