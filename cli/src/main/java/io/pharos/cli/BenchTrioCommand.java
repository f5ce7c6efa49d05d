package io.pharos.cli;

import io.pharos.core.api.Role;
import io.pharos.core.api.TokenFile;
import io.pharos.core.security.Pbkdf2;
import io.pharos.testkit.sandbox.Http;
import io.pharos.testkit.sandbox.LocalSandbox;
import io.pharos.testkit.sandbox.SandboxRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos bench-trio}: a controller trio on loopback (no apps, no agents) held for a bounded
 * time, for benchmarks that drive it from outside (dnsperf, wrk). Prints {@code READY <sandbox.json>}
 * once every controller is ready; stops at the deadline or on SIGTERM.
 */
@Command(name = "bench-trio", hidden = true, mixinStandardHelpOptions = true,
    description = "Run a controller trio on loopback for a bounded time; print READY <descriptor> (used by bench/).")
final class BenchTrioCommand implements Callable<Integer> {
  @Option(names = "--seconds", defaultValue = "300", description = "stop after this long (at most 3600)")
  int seconds;

  @Option(names = "--gc-log", description = "directory for the controllers' GC logs (-Xlog:gc, one file per pid)")
  Path gcLog;

  @Option(names = "--bench-token-limit", defaultValue = "0",
      description = "add a viewer and an operator token with this many calls a minute (written to"
          + " <secrets>/bench.token and bench-operator.token); 0: none")
  int benchTokenLimit;

  @Option(names = "--run-dir", defaultValue = "run/bench-trio", description = "sandbox directory")
  Path runDir;

  @Option(names = "--controller-jvm", defaultValue = "", description = "JVM flags of the controllers, separated by "
      + "spaces (default: none beyond the members' own: the JVM's defaults; bench/ passes what `pharos controller`"
      + " runs with)")
  String controllerJvm;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 3600) {
      throw new IllegalArgumentException("--seconds must be 1..3600, was " + seconds);
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (gcLog != null) {
      Files.createDirectories(gcLog);
      // gc+phases: ZGC logs its pauses there (G1 logs its pauses at gc)
      env.put("JAVA_TOOL_OPTIONS", "-Xlog:gc,gc+phases=info:file=" + gcLog.toAbsolutePath() + "/gc-%p.log");
    }
    try (LocalSandbox sandbox = LocalSandbox.builder(runDir.resolve(String.valueOf(System.currentTimeMillis())),
        PharosNodes.launcher()).env(env)
        .controllerJvm(JvmFlags.split(controllerJvm)).build()) {
      if (benchTokenLimit > 0) {
        // a throwaway token for this sandbox only, its limit raised for the run (sandbox.secrets(): test-only values)
        Path dir = sandbox.secrets().dir();
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
          String name = "bench-" + role.name().toLowerCase(java.util.Locale.ROOT);
          TokenFile.Issued t = TokenFile.issue(name, role, benchTokenLimit, Pbkdf2.MIN_ITERATIONS, new SecureRandom());
          Files.writeString(dir.resolve("api-tokens"), t.line() + "\n", StandardOpenOption.APPEND);
          Files.writeString(dir.resolve(role == Role.VIEWER ? "bench.token" : "bench-operator.token"), t.token() + "\n");
        }
      }
      List<SandboxRegion> regions = sandbox.regions();
      regions.forEach(sandbox::startController);
      LocalSandbox.await(Duration.ofSeconds(360), "every controller ready", () -> regions.stream()
          .allMatch(r -> Http.get(r.apiUrl() + "/ready").map(x -> x.status() == 200).orElse(false)));
      System.out.println("READY " + sandbox.descriptorFile().toAbsolutePath());
      System.out.flush();
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        main.interrupt();
        sandbox.close();
      }));
      try {
        Thread.sleep(seconds * 1000L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }
}
