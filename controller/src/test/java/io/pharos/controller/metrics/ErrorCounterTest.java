package io.pharos.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pharos.testkit.FakeClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ErrorCounterTest {
  @Test
  void countsEveryErrorAndLogsEachKindAtMostOncePerMinute() {
    FakeClock clock = new FakeClock();
    ControllerMetrics metrics = new ControllerMetrics("c1", clock);
    Logger log = (Logger) LoggerFactory.getLogger("error-counter-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    ErrorCounter errors = metrics.errors();
    for (int i = 0; i < 5; i++) {
      errors.record(log, "raft.division", "could not read the division", new IOException("closed"));
      clock.advance(Duration.ofSeconds(10));
    }
    errors.record(log, "raft.lease", "could not check the lease", new IllegalStateException("x",
        new IOException("closed")));
    clock.advance(Duration.ofSeconds(20));
    errors.record(log, "raft.division", "could not read the division", new IOException("closed"));
    assertThat(errors.counted("raft.division")).isEqualTo(6);
    assertThat(errors.counted("raft.lease")).isEqualTo(1);
    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "could not read the division (raft.division): java.io.IOException: closed",
        "could not check the lease (raft.lease): java.lang.IllegalStateException: x (cause: java.io.IOException:"
            + " closed)",
        "could not read the division (raft.division): java.io.IOException: closed; 4 more since the last line");
    assertThat(metrics.scrape()).contains("pharos_errors_total{controller=\"c1\",kind=\"raft.division\"} 6.0");
  }
}
