package io.pharos.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pharos.cli.bench.IngestBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-ingest}: signed reports from simulated agents into a controller trio (used by bench/). */
@Command(name = "bench-ingest", hidden = true, mixinStandardHelpOptions = true,
    description = "Offer signed reports of simulated agents to a controller trio at given rates; print what each "
        + "controller accepted, rejected and the decision latency as JSON (used by bench/).")
final class BenchIngestCommand implements Callable<Integer> {
  @Option(names = "--rates", split = ",", defaultValue = "5000,10000,20000", description = "reports/s, one step each")
  List<Integer> rates;

  @Option(names = "--seconds", defaultValue = "20", description = "seconds per rate")
  int seconds;

  @Option(names = "--agents", defaultValue = "300", description = "simulated agents")
  int agents;

  @Option(names = "--clients", defaultValue = "2", description = "Hazelcast clients (publishing threads)")
  int clients;

  @Option(names = "--warmup", defaultValue = "0", description = "seconds at the first rate before the first step, "
      + "not counted")
  int warmup;

  @Option(names = "--controller-jvm", defaultValue = "", description = "JVM flags of the controllers, separated by "
      + "spaces (default: none beyond the members' own: the JVM's defaults)")
  String controllerJvm;

  @Option(names = "--json", description = "write the result here")
  Path json;

  @Option(names = "--run-dir", defaultValue = "run/bench-ingest", description = "sandbox directory")
  Path runDir;

  @Override
  public Integer call() throws Exception {
    ArrayNode result = new IngestBench(PharosNodes.launcher(), System.out).run(
        runDir.resolve(String.valueOf(System.currentTimeMillis())),
        new IngestBench.Options(rates, Duration.ofSeconds(seconds), agents, clients, Duration.ofSeconds(warmup),
            JvmFlags.split(controllerJvm)));
    if (json != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
      Files.writeString(json, result.toPrettyString() + "\n");
    }
    return 0;
  }
}
