package io.pharos.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.pharos.cli.bench.AgentLoadBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pharos bench-agent}: one agent process under load, CPU/RSS/probes per second (used by bench/). */
@Command(name = "bench-agent", hidden = true, mixinStandardHelpOptions = true,
    description = "Run one agent process probing N endpoints of a local target, connected to a controller trio; "
        + "print probes/s, CPU, RSS and reports as JSON (used by bench/).")
final class BenchAgentCommand implements Callable<Integer> {
  @Option(names = "--endpoints", defaultValue = "200", description = "endpoints to probe")
  int endpoints;

  @Option(names = "--interval-ms", defaultValue = "1000", description = "probe interval (and timeout) per endpoint")
  long intervalMs;

  @Option(names = "--target", required = true, split = ",",
      description = "base URL of the local HTTP target (e.g. nginx); several, comma-separated: endpoints in turn")
  List<String> targets = new ArrayList<>();

  @Option(names = "--warmup", defaultValue = "10", description = "seconds after the agent is ready")
  int warmup;

  @Option(names = "--seconds", defaultValue = "30", description = "seconds measured")
  int seconds;

  @Option(names = "--variant", required = true, description = "NAME=FLAGS: an agent command line to measure, its JVM "
      + "flags separated by spaces; @FILE reads a java @argfile, env:NAME=VALUE sets the agent's environment, "
      + "java:PATH runs the agent on that java (e.g. a jlink-trimmed runtime) instead of this one "
      + "(repeatable: measured in turn on one controller trio)")
  List<String> variants = new ArrayList<>();

  @Option(names = "--json", description = "write the result here")
  Path json;

  @Option(names = "--run-dir", defaultValue = "run/bench-agent", description = "sandbox directory")
  Path runDir;

  @Override
  public Integer call() throws Exception {
    List<AgentLoadBench.Variant> vs = new ArrayList<>();
    for (String v : variants) {
      vs.add(variant(v));
    }
    AgentLoadBench.Options o = new AgentLoadBench.Options(endpoints, Duration.ofMillis(intervalMs), targets,
        Duration.ofSeconds(warmup), Duration.ofSeconds(seconds));
    ArrayNode result = new AgentLoadBench(PharosNodes.launcher(), System.out)
        .run(runDir.resolve(String.valueOf(System.currentTimeMillis())), o, vs);
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(json, result.toPrettyString() + "\n");
    }
    return 0;
  }

  static AgentLoadBench.Variant variant(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 1) {
      // the name ends at the first '=': a name may not hold one
      throw new IllegalArgumentException("--variant takes NAME=FLAGS, was " + spec);
    }
    List<String> flags = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    String java = null;
    for (String token : spec.substring(eq + 1).trim().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      if (token.startsWith("@")) {
        flags.addAll(AgentLoadBench.argFile(Path.of(token.substring(1))));
      } else if (token.startsWith("java:")) {
        java = token.substring(5);
        if (!Files.isExecutable(Path.of(java))) {
          throw new IllegalArgumentException("java: takes the path of a java launcher, was " + token);
        }
      } else if (token.startsWith("env:")) {
        int e = token.indexOf('=');
        if (e < 5) {
          throw new IllegalArgumentException("env: takes env:NAME=VALUE, was " + token);
        }
        env.put(token.substring(4, e), token.substring(e + 1));
      } else {
        flags.add(token);
      }
    }
    return new AgentLoadBench.Variant(spec.substring(0, eq), flags, env, java);
  }
}
