package io.pharos.chaos.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DnsWatcherTest {

  private static AnswerSource source(String label, AtomicInteger asked, Set<String> answer) {
    return new AnswerSource() {
      @Override
      public String label() {
        return label;
      }

      @Override
      public Set<String> ask() throws IOException {
        asked.incrementAndGet();
        if (answer == null) {
          throw new IOException(label + " answered SERVFAIL");
        }
        return answer;
      }

      @Override
      public Duration interval() {
        return Duration.ofMillis(1);
      }
    };
  }

  @Test
  void aNameServerThatFailsIsSkippedLikeARealResolverDoesNotBreakTheStreak() {
    AtomicInteger failing = new AtomicInteger();
    AtomicInteger answering = new AtomicInteger();
    // one cut-off name server answers SERVFAIL, the other the new answer without 10.0.0.2
    List<AnswerSource> sources = List.of(source("ns1", failing, null),
        source("ns2", answering, Set.of("10.0.0.1", "10.0.0.3")));
    try (DnsWatcher w = new DnsWatcher(sources, Set.of("10.0.0.2"), Duration.ofSeconds(20), Duration.ofMillis(1))
        .start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> w.settledAt() > 0);
      assertThat(w.queries()).isEqualTo(DnsWatcher.CONSECUTIVE);
      assertThat(w.failures()).isPositive();
      assertThat(failing.get()).isPositive();
    }
  }

  @Test
  void anOldAnswerFromAnyNameServerBreaksTheStreak() {
    AtomicInteger asked = new AtomicInteger();
    List<AnswerSource> sources = List.of(source("ns1", asked, Set.of("10.0.0.1", "10.0.0.2")),
        source("ns2", asked, Set.of("10.0.0.1")));
    try (DnsWatcher w = new DnsWatcher(sources, Set.of("10.0.0.2"), Duration.ofSeconds(20), Duration.ofMillis(1))
        .start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> w.queries() >= 3 * DnsWatcher.CONSECUTIVE);
      assertThat(w.firstWithout()).isPositive();
      assertThat(w.settledAt()).as("never 20 in a row without the old address").isZero();
    }
  }
}
