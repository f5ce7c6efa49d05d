package io.pharos.chaos.fault;

import io.pharos.testkit.net.Cmd;
import io.pharos.testkit.proc.ManagedProcess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A process a drill can kill, freeze and resume: a child of this JVM or any pid. */
public interface ProcessTarget {
  String name();

  String region();

  long pid();

  void kill();

  void freeze();

  void resume();

  /** Starts the process again after a kill, where this runner can (it owns the sandbox). */
  Optional<Runnable> restarter();

  /** A process this JVM started. */
  static ProcessTarget of(ManagedProcess p, String region, Runnable restart) {
    return new ProcessTarget() {
      @Override
      public String name() {
        return p.name();
      }

      @Override
      public String region() {
        return region;
      }

      @Override
      public long pid() {
        return p.pid();
      }

      @Override
      public void kill() {
        p.kill();
      }

      @Override
      public void freeze() {
        p.freeze();
      }

      @Override
      public void resume() {
        p.resume();
      }

      @Override
      public Optional<Runnable> restarter() {
        return Optional.ofNullable(restart);
      }
    };
  }

  /** Any process by pid (an attached sandbox's): signals through {@code kill}. Not restartable. */
  static ProcessTarget ofPid(String name, String region, long pid) {
    return new ProcessTarget() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String region() {
        return region;
      }

      @Override
      public long pid() {
        return pid;
      }

      @Override
      public void kill() {
        signal("KILL");
        ProcessHandle.of(pid).ifPresent(h -> {
          try {
            h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            // reported by the caller through isAlive checks
          }
        });
      }

      @Override
      public void freeze() {
        signal("STOP");
      }

      @Override
      public void resume() {
        signal("CONT");
      }

      @Override
      public Optional<Runnable> restarter() {
        return Optional.empty();
      }

      private void signal(String sig) {
        if (pid <= 0) {
          throw new IllegalStateException(name + " is not running");
        }
        Cmd.run(List.of("kill", "-" + sig, Long.toString(pid)), null, Duration.ofSeconds(5)).orThrow();
      }
    };
  }
}
