package io.pharos.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The logging of every {@code pharos} command, set up in code: one line per event on standard error, the
 * libraries' chatter at WARN, the root at {@code PHAROS_LOG_LEVEL} (default INFO).
 *
 * <p>In code and not in a {@code logback.xml} because reading XML costs an agent, which runs on every node, about
 * 400 classes (logback's configuration model and the JDK's XML parser) that it keeps for nothing
 * (docs/benchmarks.md, "Agent memory and CPU"). An operator's own file still wins: with
 * {@code -Dlogback.configurationFile=...} set, this steps aside and logback reads that file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
  /** Libraries whose INFO lines are noise to an operator, and the level they log at. */
  static final Map<String, Level> QUIET = Map.of(
      "org.apache.ratis", Level.WARN,
      "org.apache.ratis.client.impl.OrderedAsync", Level.OFF,
      "com.hazelcast", Level.WARN,
      "com.hazelcast.client.impl.connection", Level.ERROR,
      "io.netty", Level.WARN,
      "io.vertx", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("PHAROS_LOG_LEVEL"), Level.INFO));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
