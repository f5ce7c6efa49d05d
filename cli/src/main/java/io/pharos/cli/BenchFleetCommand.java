package io.pharos.cli;

import io.pharos.cli.bench.FleetBench;
import io.pharos.cli.bench.FleetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-fleet}: a burst of simulated agents, a soak with a region loss, every report accounted for. */
@Command(name = "bench-fleet", hidden = true, mixinStandardHelpOptions = true,
    description = "Start a controller trio, join a burst of simulated agents (one Hazelcast client each, many per"
        + " driver JVM), keep fewer for a soak with a region loss halfway, and account for every report; print"
        + " the figures and write them as JSON (used by bench/fleet.sh).")
final class BenchFleetCommand implements Callable<Integer> {
  @Option(names = "--burst-agents", defaultValue = "1000", description = "agents joining at once")
  int burstAgents;

  @Option(names = "--soak-agents", defaultValue = "500", description = "agents kept for the soak")
  int soakAgents;

  @Option(names = "--soak-seconds", defaultValue = "1800", description = "soak duration")
  int soakSeconds;

  @Option(names = "--drivers", defaultValue = "6", description = "driver JVMs the agents are spread over")
  int drivers;

  @Option(names = "--driver-heap-mb", defaultValue = "512", description = "each driver JVM's -Xmx")
  int driverHeapMb;

  @Option(names = "--controller-heap-mb", defaultValue = "1024", description = "each controller's -Xmx")
  int controllerHeapMb;

  @Option(names = "--controller-jvm", defaultValue = "", description = "the controllers' JVM flags, separated by "
      + "spaces, instead of the sandbox's lean ones (SerialGC, C1); -Xmx comes from --controller-heap-mb")
  String controllerJvm;

  @Option(names = "--driver-nice", defaultValue = "0", description = "the driver JVMs' niceness (0..19): they stand "
      + "in for agents on other machines, so they may yield the cores they share here to the controllers")
  int driverNice;

  @Option(names = "--no-region-loss", description = "do not kill a region's app during the soak")
  boolean noRegionLoss;

  @Option(names = "--json", description = "write the result here")
  Path json;

  @Option(names = "--run-dir", defaultValue = "run/bench-fleet", description = "sandbox directory")
  Path runDir;

  @Override
  public Integer call() throws Exception {
    var result = new FleetBench(PharosNodes.launcher(), System.out).run(
        runDir.resolve(String.valueOf(System.currentTimeMillis())),
        new FleetOptions(burstAgents, soakAgents, Duration.ofSeconds(soakSeconds), drivers, driverHeapMb,
            controllerHeapMb, !noRegionLoss, JvmFlags.split(controllerJvm), driverNice));
    if (json != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
      Files.writeString(json, result.toPrettyString() + "\n");
    }
    return 0;
  }
}
