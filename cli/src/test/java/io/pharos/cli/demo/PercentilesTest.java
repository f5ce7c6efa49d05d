package io.pharos.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  /** What the hand-sorted version computed: the value at rank ceil(p/100 * n). */
  private static long nearestRank(List<Long> samples, double p) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  @Test
  void nearestRankAndExactBelow32Seconds() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n : new int[] {1, 2, 7, 20, 99, 100, 101, 1000}) {
      List<Long> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        samples.add(r.nextLong(32_000));
      }
      Percentiles p = new Percentiles(samples);
      assertThat(p.count()).isEqualTo(n);
      for (double q : new double[] {50, 95, 99, 100}) {
        assertThat(p.at(q)).as("p%s of %d samples", q, n).isEqualTo(nearestRank(samples, q));
      }
      assertThat(p.max()).isEqualTo(Collections.max(samples));
    }
  }

  @Test
  void p99OfFewerThanAHundredRunsIsTheSlowest() {
    Percentiles p = new Percentiles(List.of(900L, 1_200L, 4_100L, 1_000L, 950L));
    assertThat(p.at(99)).isEqualTo(4_100);
    assertThat(p.at(50)).isEqualTo(1_000);
    assertThat(p.row("fault → DNS committed", "≤ 5 s p99"))
        .isEqualTo("| fault → DNS committed | 5 | 1000 ms | 4100 ms | 4100 ms | 4100 ms | ≤ 5 s p99 |\n");
  }

  @Test
  void emptyAndBadInput() {
    Percentiles none = new Percentiles(List.of());
    assertThat(none.at(99)).isEqualTo(-1);
    assertThat(none.max()).isEqualTo(-1);
    assertThat(none.row("x", "")).isEqualTo("| x | 0 | -1 ms | -1 ms | -1 ms | -1 ms |  |\n");
    assertThatThrownBy(() -> new Percentiles(List.of(5L, -1L))).hasMessageContaining("≥ 0 ms, was -1");
    assertThatThrownBy(() -> none.at(0)).hasMessageContaining("(0, 100]");
  }
}
