package io.pharos.cli;

import io.pharos.testkit.proc.Launcher;
import io.pharos.testkit.proc.NodeCommands;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code pharos} command lines a local sandbox starts its apps, controllers and agents with,
 * and the launchers that run them: this JVM's jar or classes, or a given distribution jar.
 */
public final class PharosNodes implements NodeCommands {
  private static final PharosNodes COMMANDS = new PharosNodes();

  private PharosNodes() {}

  /** {@code pharos} from wherever this JVM loaded it (the distribution jar, or the build's classes). */
  public static Launcher launcher() {
    return Launcher.ofCodeSource(Pharos.class, COMMANDS);
  }

  /** {@code pharos} from a distribution jar. */
  public static Launcher launcher(Path jar) {
    return Launcher.jar(jar, COMMANDS);
  }

  @Override
  public List<String> app(String listen, String region) {
    return List.of("app", "--listen", listen, "--region", region);
  }

  @Override
  public List<String> controller(Path config, String id, Path dataDir) {
    return List.of("controller", "--config", config.toString(), "--id", id, "--data-dir", dataDir.toString());
  }

  @Override
  public List<String> agent(Path config, String region, String id, String listen) {
    return List.of("agent", "--config", config.toString(), "--region", region, "--id", id, "--listen", listen);
  }
}
