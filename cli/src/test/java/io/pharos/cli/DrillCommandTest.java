package io.pharos.cli;

import static io.pharos.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.pharos.cli.CliRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pharos drill} without a sandbox: bad scenario files, pending drills, listing. */
class DrillCommandTest {
  @TempDir
  Path dir;

  @Test
  void anInvalidScenarioIsRefusedWithEveryProblemAndExits2() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        name: bad
        steps:
          - injct: { fault: kill }
          - inject: { fault: kill }
          - wait: { until: dns-committed, within: 30 secs }
        expect: { noFailover: true }
        """);
    Result r = run("drill", "run", bad.toString(), "--drills-dir", dir.resolve("drills").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("line 3: steps[0]: unknown step 'injct' (did you mean 'inject'?)")
        .contains("line 4: steps[1].inject.target: missing")
        .contains("line 5: steps[2].wait.within: '30 secs' is not a duration");
    assertThat(dir.resolve("drills")).doesNotExist();
    assertThat(run("drill", "validate", bad.toString()).code()).isEqualTo(2);
  }

  @Test
  void aPendingDrillIsReportedAsPendingWithItsReasonAndExits3() throws Exception {
    // a scenario written ahead of the capability it needs says so with pending: (no built-in one is
    // pending any more); it is recorded as PENDING, never run, never counted as passed
    Path drills = dir.resolve("drills");
    Path pending = dir.resolve("pending.yaml");
    Files.writeString(pending, """
        name: cell-evacuation
        pending: >
          needs cell-level weights, not built yet
        steps:
          - wait: { until: recovered, within: 60s }
        expect:
          noFailover: true
        """);
    Result r = run("drill", "run", pending.toString(), "--drills-dir", drills.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("PENDING: needs cell-level weights");
    Result list = run("drill", "list", "--drills-dir", drills.toString());
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("cell-evacuation").contains("PENDING");
    assertThat(run("drill", "scenarios").out()).contains("monitoring-partition").contains("dns-provider-throttled")
        .contains("evacuation-and-failback").doesNotContain("PENDING");
  }
}
