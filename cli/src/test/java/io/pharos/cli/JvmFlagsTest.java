package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmFlagsTest {
  @Test
  void splitsOnRunsOfSpaceAndKeepsTheOrder() {
    assertThat(JvmFlags.split("  -XX:+UseZGC \t -Xmx512m -Dhazelcast.io.thread.count=1 "))
        .containsExactly("-XX:+UseZGC", "-Xmx512m", "-Dhazelcast.io.thread.count=1");
  }

  @Test
  void aBlankValueIsNoFlags() {
    assertThat(JvmFlags.split("")).isEmpty();
    assertThat(JvmFlags.split("   ")).isEmpty();
  }
}
