package io.pharos.chaos.drill;

import io.pharos.chaos.scenario.Scenario;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.Route53Sandbox;
import io.pharos.testkit.sandbox.SandboxDns;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the environment a scenario names (or an override from the command line). */
public final class DrillEnvironments {
  /**
   * The sandbox policy for drills: act at once (short grace and cooldown), fail back
   * automatically after a short stabilisation, so that one sandbox serves drill after drill.
   */
  public static final String POLICY = policy(Map.of());

  private DrillEnvironments() {}

  /**
   * @param attach a sandbox.json to attach to instead of what the scenario says, or null
   * @param network overrides the sandbox network (auto, loopback, netns), or null
   */
  public static DrillEnvironment create(Scenario s, Path attach, String network, Path runDir, Launcher launcher) {
    Scenario.Environment e = s.environment();
    if (attach != null && !e.policy().isEmpty()) {
      throw new DrillRefusedException("this drill starts a sandbox of its own with policy " + e.policy()
          + " (environment.sandbox.policy); it cannot run on the attached sandbox " + attach);
    }
    if (attach != null) {
      return new AttachedEnvironment(attach);
    }
    return switch (e.kind()) {
      case ATTACH -> new AttachedEnvironment(Path.of(e.attach()));
      case DEPLOYMENT -> new DeploymentEnvironment(e.deployment());
      case SANDBOX -> {
        SandboxNetwork mode = network(network != null ? network : e.network(), needsPartitions(s));
        SandboxDns dns = SandboxDns.parse(e.dns() == null ? "embedded" : e.dns());
        if (dns == SandboxDns.ROUTE53) {
          Route53Sandbox.unavailableReason().ifPresent(r -> {
            throw new DrillRefusedException("this drill runs on a Route 53 sandbox (environment.sandbox.dns: route53),"
                + " and " + r);
          });
        }
        yield new SandboxEnvironment(LocalSandbox.builder(runDir, launcher).network(mode).dns(dns)
            .policy(policy(e.policy())).build(), true);
      }
    };
  }

  /**
   * The drill sandbox's policy with a scenario's own settings in place of the same keys (an
   * approve-mode drill: {@code environment: { sandbox: { policy: { mode: approve } } }}).
   */
  static String policy(Map<String, String> overrides) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("mode", "auto");
    keys.put("cooldown", "2s");
    keys.put("startupGrace", "5s");
    keys.put("recoverAfter", "5s");
    keys.put("failback", "auto");
    keys.put("maxAutoFailovers", "{ count: 1000, per: 1h }");
    keys.put("degradedAfter", "20s");
    keys.putAll(overrides);
    StringBuilder y = new StringBuilder("{ ");
    keys.forEach((k, v) -> y.append(y.length() > 2 ? ", " : "").append(k).append(": ").append(v));
    return y.append(" }").toString();
  }

  static boolean needsPartitions(Scenario s) {
    return s.steps().stream().anyMatch(st -> st instanceof Scenario.Inject i && i.fault().equals("partition"));
  }

  private static SandboxNetwork network(String wanted, boolean partitions) {
    return switch (wanted) {
      case "loopback" -> SandboxNetwork.LOOPBACK;
      case "netns" -> {
        NetnsNetwork.unavailableReason().ifPresent(r -> {
          throw new DrillRefusedException("this drill needs the namespace network, and " + r);
        });
        yield SandboxNetwork.NETNS;
      }
      default -> {
        if (partitions) {
          NetnsNetwork.unavailableReason().ifPresent(r -> {
            throw new DrillRefusedException("this drill partitions the network, which needs the namespace network,"
                + " and " + r);
          });
        }
        yield SandboxNetwork.auto();
      }
    };
  }
}
