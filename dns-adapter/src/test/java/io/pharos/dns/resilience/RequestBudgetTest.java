package io.pharos.dns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final RequestBudget budget = new RequestBudget("test", 5, now::get);

  @Test
  void aBurstOfFiveGoesAtOnceAndTheSixthWaitsAboutASecond() {
    for (int i = 0; i < 5; i++) {
      assertThat(budget.reserve()).isZero();
    }
    long wait = budget.reserve();

    assertThat(Duration.ofNanos(wait)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1100));
  }

  @Test
  void noWindowOfOneSecondHoldsMoreThanTheBudget() {
    long[] slots = new long[40];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = now.get() + budget.reserve();
      now.addAndGet(Duration.ofMillis(37).toNanos());
    }
    for (int i = 0; i + 5 < slots.length; i++) {
      assertThat(slots[i + 5] - slots[i]).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }
    assertThat(budget.counters().get("budget_granted")).isEqualTo(40L);
  }

  @Test
  void anIdleBudgetRefills() {
    for (int i = 0; i < 10; i++) {
      budget.reserve();
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(budget.reserve()).isZero();
  }

  @Test
  void theSharedBudgetOfAnAccountIsOne() {
    assertThat(RequestBudget.shared("acct-x", 5)).isSameAs(RequestBudget.shared("acct-x", 7));
    assertThatThrownBy(() -> new RequestBudget("bad", 0, now::get)).hasMessageContaining("at least 1");
  }

  @Test
  void backoffIsCappedExponentialWithJitterBetweenHalfAndAll() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.999);

    assertThat(low.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(low.ceiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(low.ceiling(10)).isEqualTo(Duration.ofSeconds(1));
    assertThat(low.delay(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(high.delay(3)).isBetween(Duration.ofMillis(390), Duration.ofMillis(400));
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("base");
  }
}
