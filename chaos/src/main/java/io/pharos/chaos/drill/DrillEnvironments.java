package io.pharos.chaos.drill;

import io.pharos.chaos.scenario.Scenario;
import io.pharos.testkit.net.NetnsNetwork;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.Route53Sandbox;
import io.pharos.testkit.sandbox.SandboxDns;
import io.pharos.testkit.sandbox.SandboxNetwork;
import java.nio.file.Path;

/** Builds the environment a scenario names (or an override from the command line). */
public final class DrillEnvironments {
  /**
   * The sandbox policy for drills: act at once (short grace and cooldown), fail back
   * automatically after a short stabilisation, so that one sandbox serves drill after drill.
   */
  public static final String POLICY = "{ mode: auto, cooldown: 2s, startupGrace: 5s, recoverAfter: 5s, failback: auto,"
      + " maxAutoFailovers: { count: 1000, per: 1h }, degradedAfter: 20s }";

  private DrillEnvironments() {}

  /**
   * @param attach a sandbox.json to attach to instead of what the scenario says, or null
   * @param network overrides the sandbox network (auto, loopback, netns), or null
   */
  public static DrillEnvironment create(Scenario s, Path attach, String network, Path runDir, Launcher launcher) {
    if (attach != null) {
      return new AttachedEnvironment(attach);
    }
    Scenario.Environment e = s.environment();
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
        yield new SandboxEnvironment(LocalSandbox.builder(runDir, launcher).network(mode).dns(dns).policy(POLICY)
            .build(), true);
      }
    };
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
