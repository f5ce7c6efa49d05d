package io.pharos.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
  @Test
  void functions_aggregations_labels_ranges_and_variables_are_not_names() {
    assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le, region) (rate(a_bucket{region=~\"$region\","
        + "x!=\"y z\"}[$__rate_interval])))")).containsExactly("a_bucket");
    assertThat(PromQlNames.of("max by (region) (s{state=\"down\"}) + 2 * max without(x) (t) - on (c) u offset 5m"))
        .containsExactly("s", "t", "u");
    assertThat(PromQlNames.of("sum(x) == 0 and max by(r) (y) > 1e3 unless z[5m:1m]")).containsExactly("x", "y", "z");
    assertThat(PromQlNames.of("up{job=\"pharos-controller\"} == 0")).containsExactly("up");
    assertThat(PromQlNames.of("label_values(pharos_region_state, region)")).containsExactly("pharos_region_state");
    assertThat(PromQlNames.of("count(a) - count (b)")).containsExactly("a", "b");
  }
}
