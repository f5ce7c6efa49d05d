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
    // at the budget (5 per 1.05 s) with one send 60 ms late: 6 in a strict second, 5 within 850 ms
    List<Long> late = List.of(0L, 200L, 400L, 600L, 800L, 1050L - 60L);
    assertThat(ProviderApiCheck.peakPerSecond(late)).isEqualTo(6);
    assertThat(ProviderApiCheck.peakWithin(late, 1000 - ProviderApiCheck.JITTER_MS)).isEqualTo(5);
  }
}
