package io.pharos.testkit.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program that does not watch {@code PHAROS_PARENT_PID} itself (moto_server, BIND) under a
 * small shell that stops it when this JVM is gone (kill -9 included) or when the shell is stopped.
 */
public final class OrphanGuard {
  // the trap also ends the guard's own pause, so nothing of it outlives a stop
  private static final String SCRIPT = "parent=$1; shift; \"$@\" & child=$!; pause=; "
      + "trap 'kill $child $pause 2>/dev/null; wait $child; exit 0' TERM INT; "
      + "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1 & pause=$!; wait $pause;"
      + " done; kill $child 2>/dev/null; wait $child";

  private OrphanGuard() {}

  /** {@code command} wrapped in the guard; the guard's pid stands for the program's. */
  public static List<String> wrap(String name, List<String> command) {
    List<String> out = new ArrayList<>(List.of("sh", "-c", SCRIPT, name + "-guard",
        Long.toString(ProcessHandle.current().pid())));
    out.addAll(command);
    return out;
  }
}
