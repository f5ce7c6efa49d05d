package io.pharos.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a {@code pharos} command line in this JVM and captures what it prints. */
public final class CliRun {
  private CliRun() {}

  /** Exit code and what went to standard output and error. */
  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    return capture(() -> Pharos.run(args));
  }

  /** Runs {@code command} (a command object set up by a test) and captures what it prints. */
  public static Result capture(java.util.concurrent.Callable<Integer> command) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = command.call();
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } catch (Exception x) {
      throw new AssertionError("the command threw " + x, x);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
