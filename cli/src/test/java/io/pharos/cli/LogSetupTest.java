package io.pharos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class LogSetupTest {
  @Test
  void one_line_per_event_on_stderr_libraries_at_warn_and_an_operators_file_wins() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
    assertThat(stderr.isStarted()).isTrue();
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(context.getLogger("com.hazelcast.internal.cluster").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("com.hazelcast.client.impl.connection.X").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.apache.ratis.client.impl.OrderedAsync").getEffectiveLevel()).isEqualTo(Level.OFF);
    assertThat(context.getLogger("io.pharos.agent.AgentVerticle").getEffectiveLevel())
        .isEqualTo(Level.toLevel(System.getenv("PHAROS_LOG_LEVEL"), Level.INFO));

    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/pharos/logback.xml");
    try {
      LoggerContext other = new LoggerContext();
      assertThat(setup.configure(other)).as("the operator's file is read instead")
          .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(other.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }
}
