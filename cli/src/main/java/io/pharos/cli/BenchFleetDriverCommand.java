package io.pharos.cli;

import io.pharos.cli.bench.FleetDriver;
import io.pharos.core.config.PharosConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-fleet-driver}: one JVM of simulated agents for {@code bench-fleet} (started by it). */
@Command(name = "bench-fleet-driver", hidden = true, mixinStandardHelpOptions = true,
    description = "Run simulated agents of one region, one Hazelcast client each, signing reports with the region's"
        + " key from PHAROS_REGION_KEY; driven through files in --dir (started by bench-fleet).")
final class BenchFleetDriverCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "the sandbox's pharos.yaml")
  Path config;

  @Option(names = "--region", required = true, description = "the agents' region")
  String region;

  @Option(names = "--id", required = true, description = "this driver's name (its files in --dir)")
  String id;

  @Option(names = "--agents", required = true, description = "simulated agents in this JVM")
  int agents;

  @Option(names = "--first", defaultValue = "0", description = "index of the first agent (ids fleet-<region>-<n>)")
  int first;

  @Option(names = "--dir", required = true, description = "where the status and control files are")
  Path dir;

  @Option(names = "--max-seconds", defaultValue = "3600", description = "exit after this whatever happens")
  long maxSeconds;

  @Override
  public Integer call() throws Exception {
    PharosConfig cfg = ConfigFiles.load(config);
    return new FleetDriver(cfg, cfg.security().requireRegionKey(region),
        new FleetDriver.Options(id, region, agents, first, dir, Duration.ofSeconds(maxSeconds)), System.out).run();
  }
}
