package io.pharos.testkit.proc;

import java.nio.file.Path;
import java.util.List;

/**
 * The arguments that start each kind of process a sandbox runs, written by the program that owns
 * the command line (the {@code pharos} CLI implements it): testkit knows no command line of its
 * own. Each list follows the main class of the {@link Launcher}.
 */
public interface NodeCommands {
  /** A demo application serving {@code /healthz} on {@code listen} (host:port) for {@code region}. */
  List<String> app(String listen, String region);

  /** A controller with config {@code config}, peer id {@code id}, and its Raft data under {@code dataDir}. */
  List<String> controller(Path config, String id, Path dataDir);

  /** An agent of {@code region} with id {@code id}, serving its API on {@code listen} (host:port). */
  List<String> agent(Path config, String region, String id, String listen);
}
