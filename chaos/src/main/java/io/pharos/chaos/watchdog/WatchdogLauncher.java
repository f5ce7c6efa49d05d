package io.pharos.chaos.watchdog;

import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.proc.ProcessGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the {@link Watchdog} detached from the runner: its own session ({@code setsid}, so a
 * Ctrl-C to the runner's terminal does not reach it), no parent-pid link, the same classpath as
 * this JVM. Returns once the watchdog acknowledged that it is watching.
 */
public final class WatchdogLauncher {
  private WatchdogLauncher() {}

  /** Starts it and waits (at most {@code timeout}) for its acknowledgement; returns its pid. */
  public static long start(Path leaseFile, Duration timeout) {
    List<String> cmd = new ArrayList<>();
    if (Cmd.exists("setsid")) {
      cmd.add("setsid");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp",
        System.getProperty("java.class.path"), Watchdog.class.getName(), "--lease-file", leaseFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(leaseFile.resolveSibling(leaseFile.getFileName() + ".log")
            .toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove(ProcessGroup.PARENT_PID_ENV);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fault watchdog: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Path ack = Watchdog.ackFile(leaseFile);
    while (System.nanoTime() < deadline) {
      if (Files.exists(ack)) {
        try {
          String pid = Files.readString(ack).strip();
          if (!pid.isEmpty()) {
            return Long.parseLong(pid);
          }
        } catch (IOException | NumberFormatException e) {
          // written in a moment
        }
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("the fault watchdog exited with " + p.exitValue() + "; see "
            + leaseFile.getFileName() + ".log");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("the fault watchdog did not start within " + timeout.toSeconds() + " s");
  }
}
