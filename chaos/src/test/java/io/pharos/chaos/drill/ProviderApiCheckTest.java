package io.pharos.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderApiCheckTest {
  @Test
  void thePeakCountsArrivalsWithinAnyOneSecond() {
    assertThat(ProviderApiCheck.peakPerSecond(List.of())).isZero();
    // a budget of 5/s kept: the sixth call comes 1.05 s after the first
    assertThat(ProviderApiCheck.peakPerSecond(List.of(0L, 10L, 20L, 30L, 40L, 1050L, 1060L))).isEqualTo(5);
    // six within 999 ms break it, wherever the window starts
    assertThat(ProviderApiCheck.peakPerSecond(List.of(0L, 500L, 1500L, 1600L, 1700L, 1800L, 1900L, 2499L)))
        .isEqualTo(6);
  }
}
