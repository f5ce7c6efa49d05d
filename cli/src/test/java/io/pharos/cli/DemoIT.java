package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code pharos demo --json} from the distribution jar, as a user runs it: a loopback sandbox,
 * the hard-region-loss drill through the drill runner, its report as JSON on stdout and as files.
 * The exit code follows the 5 s target (recorded, not asserted: times are judged by the demo).
 */
class DemoIT {
  @Test
  void theDemoRunsTheHardRegionLossDrillAndPrintsItsReport() throws Exception {
    Path dir = Path.of("target", "demo-it").toAbsolutePath();
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(Launcher.HAZELCAST_MEMBER_FLAGS); // as the pharos script passes them
    cmd.addAll(List.of("-jar", Path.of("target", "pharos.jar").toAbsolutePath().toString(), "demo", "--json",
        "--run-dir", dir.resolve("run").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("stdout.json").toFile()).redirectError(dir.resolve("stderr.log").toFile());
    pb.environment().put(ProcessGroup.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
    Process demo = pb.start();
    boolean done = demo.waitFor(6, TimeUnit.MINUTES);
    if (!done) {
      demo.destroyForcibly();
    }
    String err = Files.readString(dir.resolve("stderr.log"));
    assertThat(done).as("demo finished; stderr:\n" + err).isTrue();
    JsonNode r = new ObjectMapper().readTree(Files.readString(dir.resolve("stdout.json")));
    assertThat(r.path("scenario").asText()).isEqualTo("hard-region-loss");
    assertThat(r.path("status").asText()).as(err).isEqualTo("PASS");
    assertThat(r.path("environment").asText()).contains("loopback");
    assertThat(r.path("timeline").findValuesAsText("key")).contains("fault-injected", "detected", "decided",
        "fenced", "dns-committed", "provider-in-sync", "resolvers-cut-over", "recovered");
    String result = r.path("result").asText();
    assertThat(result).isIn("within-target", "missed-target");
    assertThat(demo.exitValue()).isEqualTo(result.equals("within-target") ? 0 : 1);
    Path report = Path.of(r.path("reportDir").asText());
    assertThat(report.resolve("report.html")).content().contains("<svg id=\"timeline\"");
    assertThat(report.resolve("report.md")).content().contains("## Timeline");
    assertThat(err).contains("step 1/8: inject loss: kill app@us-east").contains("drill finished: PASS");
    for (JsonNode m : r.path("timeline")) {
      System.out.printf("demo: %-32s %s%n", m.path("label").asText(), m.path("sinceFaultMs").asText("not seen"));
    }
  }
}
