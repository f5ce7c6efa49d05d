package io.pharos.chaos.drill;

import io.pharos.chaos.fault.ApiProxyFault;
import io.pharos.chaos.fault.EndpointFault;
import io.pharos.chaos.fault.Fault;
import io.pharos.chaos.fault.FlappingFault;
import io.pharos.chaos.fault.PartitionFault;
import io.pharos.chaos.fault.ProcessFault;
import io.pharos.chaos.fault.ProcessTarget;
import io.pharos.chaos.fault.ProxyFault;
import io.pharos.chaos.scenario.Scenario;
import io.pharos.testkit.FaultServer;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.net.PartitionInjector;
import io.pharos.testkit.proxy.ApiFault;
import io.pharos.testkit.proxy.TcpChaosProxy;
import io.pharos.testkit.proxy.Toxics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Turns an inject step into a {@link Fault} on the drill's environment; throws naming what is missing. */
final class FaultFactory {
  private final DrillEnvironment env;
  private final Observer observer;
  private final String runTag;
  private PartitionInjector partitions;

  FaultFactory(DrillEnvironment env, Observer observer, String runTag) {
    this.env = env;
    this.observer = observer;
    this.runTag = runTag;
  }

  Fault create(Scenario.Inject s) {
    Map<String, String> p = s.params();
    return switch (s.fault()) {
      case "kill", "freeze" -> process(s);
      case "endpoint" -> new EndpointFault(s.id(), region(s.target()), app(s.target()), endpointFault(p));
      case "flap" -> new FlappingFault(s.id(), region(s.target()), app(s.target()),
          new FaultServer.Fault(1.0, Integer.parseInt(p.getOrDefault("status", "503")), 0, false),
          ms(p.get("down")), ms(p.get("up")), Integer.parseInt(p.getOrDefault("cycles", "5")));
      case "partition" -> partition(s);
      case "proxy" -> proxy(s);
      case "dns-provider" -> new ApiProxyFault(s.id(), env.providerProxy().orElseThrow(() -> new IllegalArgumentException(
          "a dns-provider fault needs a proxy in front of the provider's API: on a sandbox, environment: { sandbox:"
              + " { dns: route53 } } (moto_server behind the runner's proxy); on a deployment,"
              + " environment.deployment.providerProxy; " + env.describe() + " has none")), apiFault(p));
      default -> throw new IllegalArgumentException("unknown fault " + s.fault());
    };
  }

  /** Regions a step will touch, resolving {@code controller@leader} to the leader's region now. */
  Set<String> regions(Scenario.Inject s) {
    Set<String> out = new TreeSet<>();
    if (s.target() != null && s.target().contains("@")) {
      out.add(region(s.target()));
    }
    for (String ref : s.sideA()) {
      String r = ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : ref;
      if (r.equals("*")) {
        out.addAll(env.regions());
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private Fault process(Scenario.Inject s) {
    String component = s.target().substring(0, s.target().indexOf('@'));
    ProcessFault.Action action = s.fault().equals("kill") ? ProcessFault.Action.KILL : ProcessFault.Action.FREEZE;
    Supplier<ProcessTarget> resolve = () -> env.process(component, region(s.target()));
    return new ProcessFault(s.id(), action, s.target(), s.target().endsWith("@leader") ? null : region(s.target()),
        resolve);
  }

  /** The region of {@code component@region}; {@code controller@leader} is the current leader's. */
  String region(String target) {
    String r = target.substring(target.indexOf('@') + 1);
    if (!r.equals("leader")) {
      if (!env.regions().contains(r)) {
        throw new IllegalArgumentException("no region '" + r + "' in the " + env.kind() + "; regions: " + env.regions());
      }
      return r;
    }
    String leader = observer.leaderId().orElseThrow(() -> new IllegalStateException("no controller names a leader"));
    return env.regionOfController(leader).orElseThrow(() -> new IllegalStateException("leader " + leader
        + " is not a controller of this environment"));
  }

  private String app(String target) {
    String region = region(target);
    return env.appUrl(region).orElseThrow(() -> new IllegalArgumentException("no app URL with a /_fault control"
        + " resource for region " + region + " (environment.deployment.apps)"));
  }

  private Fault partition(Scenario.Inject s) {
    NetnsNetwork.Descriptor net = env.network().orElseThrow(() -> new IllegalArgumentException(
        "a partition needs the sandbox's namespace network (environment: {sandbox: {network: netns}}; root, iproute2"
            + " and iptables)"));
    if (partitions == null) {
      partitions = new PartitionInjector(net, runTag);
    }
    Set<String> a = env.nodes(s.sideA());
    Set<String> b = env.nodes(s.sideB());
    b.removeAll(a);
    return new PartitionFault(s.id(), regions(s), partitions, net, a, b);
  }

  private Fault proxy(Scenario.Inject s) {
    TcpChaosProxy proxy = env.proxies().get(s.target());
    if (proxy == null) {
      throw new IllegalArgumentException("no proxy '" + s.target() + "' in the environment; proxies: "
          + env.proxies().keySet());
    }
    Map<String, String> p = s.params();
    Toxics t = new Toxics(Duration.ofMillis(Long.parseLong(p.getOrDefault("latency", "0"))),
        Duration.ofMillis(Long.parseLong(p.getOrDefault("jitter", "0"))), Long.parseLong(p.getOrDefault("bandwidth",
        "0")), Double.parseDouble(p.getOrDefault("resetRate", "0")), Boolean.parseBoolean(p.getOrDefault("blackhole",
        "false")));
    return new ProxyFault(s.id(), Set.of(), s.target(), proxy, t);
  }

  private static FaultServer.Fault endpointFault(Map<String, String> p) {
    return new FaultServer.Fault(Double.parseDouble(p.getOrDefault("errorRate", "0")),
        Integer.parseInt(p.getOrDefault("status", "503")), Long.parseLong(p.getOrDefault("latency", "0")),
        Boolean.parseBoolean(p.getOrDefault("hang", "false")), Double.parseDouble(p.getOrDefault("latencyRate", "1.0")),
        Boolean.parseBoolean(p.getOrDefault("blackhole", "false")));
  }

  private static ApiFault apiFault(Map<String, String> p) {
    boolean aws = "aws".equals(p.get("style"));
    double throttle = Double.parseDouble(p.getOrDefault("throttleRate", "0"));
    ApiFault base = aws ? ApiFault.awsThrottle(throttle) : ApiFault.throttle(throttle);
    return new ApiFault(throttle, base.throttleStatus(), base.throttleBody(),
        Double.parseDouble(p.getOrDefault("errorRate", "0")), Integer.parseInt(p.getOrDefault("status", "503")),
        Duration.ofMillis(Long.parseLong(p.getOrDefault("latency", "0"))));
  }

  private static Duration ms(String v) {
    return Duration.ofMillis(Long.parseLong(v));
  }

  /** Rules of this run still in the network (should be none after the drill). */
  java.util.List<String> leftoverRules() {
    return partitions == null ? java.util.List.of() : partitions.remainingRules();
  }
}
