package io.pharos.testkit.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts child JVMs and owns them: every process it started is stopped by {@link #close()}, by a
 * shutdown hook (Ctrl-C), and — because each child is told its parent's pid in
 * {@code PHAROS_PARENT_PID} and exits when that process is gone — even when the parent is killed
 * with -9.
 */
public final class ProcessGroup implements AutoCloseable {
  public static final String PARENT_PID_ENV = "PHAROS_PARENT_PID";

  private final Path logDir;
  private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
  private final Thread hook;

  public ProcessGroup(Path logDir) {
    this.logDir = logDir;
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    hook = new Thread(this::stopAll, "process-group-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts {@code command} with output to {@code <logDir>/<name>.log}. */
  public ManagedProcess start(String name, List<String> command, Map<String, String> env) {
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    pb.environment().put(PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
    try {
      ManagedProcess p = new ManagedProcess(name, pb.start(), log);
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  public List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops every process: frozen ones are resumed first, SIGTERM, then -9 after 10 s. */
  public void stopAll() {
    List<Thread> stoppers = new ArrayList<>();
    for (ManagedProcess p : processes) {
      Thread t = new Thread(() -> p.stop(Duration.ofSeconds(10)), "stop-" + p.name());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
  }

  /**
   * Called early in every child's main: exits the JVM when the parent named in
   * {@code PHAROS_PARENT_PID} is gone, so no orphan outlives a killed harness.
   */
  public static void exitWithParent() {
    String ppid = System.getenv(PARENT_PID_ENV);
    if (ppid == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(ppid)).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
        () -> Runtime.getRuntime().halt(3));
  }
}
