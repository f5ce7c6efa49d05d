package io.pharos.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetBenchTest {
  @Test
  void slopeIsTheLeastSquaresFitPerUnitOfX() {
    assertThat(ControllerSamples.slope(List.of(new double[] {0, 10}, new double[] {1, 12}, new double[] {2, 14})))
        .isCloseTo(2.0, within(1e-9));
    assertThat(ControllerSamples.slope(List.of(new double[] {0, 5}, new double[] {1, 7}, new double[] {2, 5},
        new double[] {3, 7}))).isCloseTo(0.4, within(1e-9));
    assertThat(ControllerSamples.slope(List.of(new double[] {0, 5}))).isZero();
  }

  @Test
  void heapUsedAddsEveryGenerationOfSerialAndTheOneHeapOfG1() {
    String serial = """
         def new generation   total 59008K, used 10240K [0x00000000f4000000, 0x00000000f8000000)
          eden space 52480K,  19% used [0x00000000f4000000, 0x00000000f7340000)
         tenured generation   total 131072K, used 20480K [0x00000000f8000000, 0x0000000100000000)
         Metaspace       used 69057K, committed 70144K, reserved 1114112K
        """;
    assertThat(ControllerSamples.heapUsedMb(serial)).isEqualTo(30.0);
    assertThat(ControllerSamples.heapUsedMb(" garbage-first heap   total 262144K, used 51200K [0x0]")).isEqualTo(50.0);
    assertThat(ControllerSamples.heapUsedMb("12345: Unable to open socket file")).isEqualTo(-1);
    // ZGC (the controllers' collector, jvm/controller.args), as jcmd GC.heap_info prints it on JDK 17
    assertThat(ControllerSamples.heapUsedMb("""
        12707:
         ZHeap           used 18M, capacity 256M, max capacity 256M
         Metaspace       used 8941K, committed 9088K, reserved 1114112K
        """)).isEqualTo(18.0);
  }

  @Test
  void metricsAreReadByNameWithTheReasonOfARejection() {
    Map<String, Double> m = ControllerSamples.parse("""
        # HELP pharos_reports_accepted_total reports accepted
        pharos_reports_accepted_total{controller="c-a"} 120.0
        pharos_reports_rejected_total{controller="c-a",reason="duplicate"} 118.0
        pharos_reports_rejected_total{controller="c-a",reason="replayed"} 2.0
        pharos_ingest_agents{controller="c-a"} 12.0
        pharos_decision_latency_seconds{controller="c-a",quantile="0.5"} NaN
        """);
    assertThat(m).containsEntry("pharos_reports_accepted_total", 120.0)
        .containsEntry("pharos_reports_rejected_total|duplicate", 118.0)
        .containsEntry("pharos_reports_rejected_total|replayed", 2.0)
        .containsEntry("pharos_ingest_agents", 12.0)
        .doesNotContainKey("pharos_decision_latency_seconds");
  }

  @Test
  void agentsAreSpreadOverTheDriversTheFirstTakingTheRemainder() {
    assertThat(List.of(FleetBench.share(1000, 6, 0), FleetBench.share(1000, 6, 3), FleetBench.share(1000, 6, 4)))
        .containsExactly(167, 167, 166);
    int sum = 0;
    for (int d = 0; d < 7; d++) {
      sum += FleetBench.share(500, 7, d);
    }
    assertThat(sum).isEqualTo(500);
  }

  @Test
  void optionsRefuseASoakLargerThanTheBurst() {
    assertThatThrownBy(() -> new FleetOptions(100, 200, Duration.ofSeconds(60), 3, 512, 1024, true))
        .hasMessageContaining("soak agents must be 3..100");
    assertThatThrownBy(() -> new FleetOptions(100, 50, Duration.ofSeconds(60), 3, 512, 32, true))
        .hasMessageContaining("controller heaps");
    assertThatThrownBy(() -> new FleetOptions(100, 50, Duration.ofSeconds(60), 3, 512, 1024, true,
        List.of(), 20)).hasMessageContaining("driver niceness must be 0..19, was 20");
  }
}
