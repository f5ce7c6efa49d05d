package io.pharos.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short system command ({@code ip}, {@code iptables}, {@code kill}) with a deadline. */
public final class Cmd {
  /** Exit code and output of one command. */
  public record Result(List<String> command, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** Throws naming the command and its stderr unless it exited 0. */
    public Result orThrow() {
      if (exit != 0) {
        throw new CmdException(String.join(" ", command) + " exited " + exit + ": " + err.strip());
      }
      return this;
    }
  }

  /** A command that failed. */
  public static final class CmdException extends RuntimeException {
    public CmdException(String message) {
      super(message);
    }
  }

  private static final java.util.concurrent.ExecutorService DRAIN = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cmd-output");
    t.setDaemon(true);
    return t;
  });

  private Cmd() {}

  public static Result run(List<String> command) {
    return run(command, null, Duration.ofSeconds(20));
  }

  /** Runs {@code command}, feeding {@code stdin} (may be null); kills it at the deadline. */
  public static Result run(List<String> command, String stdin, Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      return new Result(command, 127, "", "cannot start " + command.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command exited before reading its input: its exit code tells why
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(command, 124, "", "timed out after " + timeout.toMillis() + " ms");
      }
      return new Result(command, p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(command, 130, "", "interrupted");
    }
  }

  /** True when {@code name} is an executable on the PATH or in /usr/sbin, /sbin. */
  public static boolean exists(String name) {
    return which(name).isPresent();
  }

  /** The absolute path of executable {@code name} on the PATH or in /usr/sbin, /sbin, /usr/bin, /bin. */
  public static java.util.Optional<String> which(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      java.io.File f = new java.io.File(dir, name);
      if (!dir.isEmpty() && f.isFile() && f.canExecute()) {
        return java.util.Optional.of(f.getAbsolutePath());
      }
    }
    return java.util.Optional.empty();
  }

  private static CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s) {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, DRAIN);
  }
}
