package io.pharos.chaos.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  static final class Counting extends AbstractFault {
    final AtomicInteger in = new AtomicInteger();
    final AtomicInteger out = new AtomicInteger();
    final boolean failInject;

    Counting(String id, boolean failInject) {
      super(id, Set.of("r1"));
      this.failInject = failInject;
    }

    @Override
    public String kind() {
      return "test";
    }

    @Override
    public String describe() {
      return "counting " + id();
    }

    @Override
    protected void doInject() {
      in.incrementAndGet();
      if (failInject) {
        throw new IllegalStateException("boom");
      }
    }

    @Override
    protected void doRevert() {
      out.incrementAndGet();
    }

    @Override
    public List<RevertSpec> watchdogReverts() {
      return List.of();
    }
  }

  private final List<String> log = new CopyOnWriteArrayList<>();
  private final FaultInjector.Listener listener = new FaultInjector.Listener() {
    @Override
    public void injected(Fault f, long at) {
      log.add("in " + f.id());
    }

    @Override
    public void reverted(Fault f, long at, String why) {
      log.add("out " + f.id() + " " + why);
    }
  };

  @Test
  void aFaultWhoseLeaseRunsOutIsRevertedByItself() {
    try (FaultInjector inj = new FaultInjector(Optional.empty(), listener)) {
      Counting f = new Counting("f1", false);
      inj.inject(f, Duration.ofMillis(200));
      assertThat(f.injected()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !f.injected());
      assertThat(f.out.get()).isEqualTo(1);
      assertThat(log).anyMatch(l -> l.startsWith("out f1 lease expired after 0.2 s"));
      assertThat(inj.active()).isEmpty();
    }
  }

  @Test
  void injectAndRevertAreIdempotentAndCloseRevertsTheRest() {
    Counting a = new Counting("a", false);
    Counting b = new Counting("b", false);
    try (FaultInjector inj = new FaultInjector(Optional.empty(), listener)) {
      inj.inject(a, Duration.ofMinutes(1));
      inj.inject(a, Duration.ofMinutes(1));
      a.inject();
      assertThat(a.in.get()).isEqualTo(1);
      assertThat(inj.revert("a", "test")).isTrue();
      assertThat(inj.revert("a", "test")).isFalse();
      a.revert();
      assertThat(a.out.get()).isEqualTo(1);
      inj.inject(b, Duration.ofMinutes(1));
    }
    assertThat(b.injected()).isFalse();
    assertThat(log).contains("out b drill finished");
  }

  @Test
  void aFailedInjectionLeavesNothingIn() {
    try (FaultInjector inj = new FaultInjector(Optional.empty(), listener)) {
      Counting f = new Counting("bad", true);
      assertThatThrownBy(() -> inj.inject(f, Duration.ofMinutes(1))).hasMessageContaining("could not inject bad")
          .hasMessageContaining("boom");
      assertThat(inj.active()).isEmpty();
      assertThat(f.injected()).isFalse();
    }
  }
}
