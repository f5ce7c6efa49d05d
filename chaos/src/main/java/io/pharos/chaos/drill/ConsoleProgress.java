package io.pharos.chaos.drill;

import io.pharos.chaos.report.DrillReport;
import io.pharos.chaos.scenario.Scenario;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Drill progress on a console: on a terminal, a progress bar over the steps with the current
 * step and the elapsed time, event lines printed above it; otherwise plain timestamped lines
 * (for CI logs and pipes).
 */
public final class ConsoleProgress implements DrillListener {
  private final PrintStream out;
  private final boolean tty;
  private final long started = System.currentTimeMillis();
  private ProgressBar bar;

  public ConsoleProgress(PrintStream out, boolean tty) {
    this.out = out;
    this.tty = tty;
  }

  /** A terminal when the JVM has a console and {@code out} is stdout. */
  public static ConsoleProgress forStdout(PrintStream out) {
    return new ConsoleProgress(out, System.console() != null && out == System.out);
  }

  @Override
  public synchronized void started(Scenario s, String environment) {
    plain("drill " + s.name() + ": " + s.title());
    plain("environment: " + environment);
    plain("expected: " + s.expect().describe());
    if (tty) {
      bar = new ProgressBarBuilder().setTaskName(s.name()).setInitialMax(s.steps().size())
          .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(out))
          .setUpdateIntervalMillis(250).setMaxRenderedLength(120).build();
    }
  }

  @Override
  public synchronized void step(int index, int total, String description) {
    if (bar != null) {
      bar.stepTo(index);
      bar.setExtraMessage(" step " + (index + 1) + "/" + total + ": " + shorten(description));
    }
    line("step " + (index + 1) + "/" + total + ": " + description);
  }

  @Override
  public synchronized void line(String text) {
    if (bar != null) {
      out.print("\r\033[2K");
    }
    plain(text);
  }

  @Override
  public synchronized void tick(long elapsedMs) {
    if (bar != null) {
      bar.refresh();
    }
  }

  @Override
  public synchronized void finished(DrillReport r) {
    if (bar != null) {
      bar.stepTo(bar.getMax());
      bar.close();
      bar = null;
    }
    plain("drill finished: " + r.summary());
  }

  private void plain(String text) {
    out.printf("[%6.1fs] %s%n", (System.currentTimeMillis() - started) / 1000.0, text);
    out.flush();
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
