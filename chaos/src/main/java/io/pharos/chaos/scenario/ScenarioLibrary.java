package io.pharos.chaos.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The built-in drills, shipped as resources and runnable by name ({@code pharos drill run hard-region-loss}). */
public final class ScenarioLibrary {
  /** In the order they are listed and run. */
  public static final List<String> NAMES = List.of("hard-region-loss", "silent-region", "monitoring-partition",
      "gray-failure", "flapping-endpoint", "dns-provider-throttled", "leader-killed-mid-failover",
      "evacuation-and-failback", "two-regions-down", "all-regions-down", "agent-lost-during-a-loss",
      "short-evidence-approval", "region-partitioned", "region-partitioned-app-dead", "recovery-without-false-alarm",
      "two-controllers-killed", "approve-mode");

  private ScenarioLibrary() {}

  public static boolean isBuiltin(String name) {
    return NAMES.contains(name);
  }

  /** The YAML text of a built-in drill. */
  public static String text(String name) {
    if (!isBuiltin(name)) {
      throw new ScenarioException(List.of("no built-in drill named '" + name + "'; built-ins: "
          + String.join(", ", NAMES)));
    }
    try (InputStream in = ScenarioLibrary.class.getResourceAsStream("/io/pharos/chaos/drills/" + name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("built-in drill " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in drill " + name, e);
    }
  }

  public static Scenario load(String name, Map<String, String> overrides) {
    return ScenarioParser.parse(text(name), "builtin:" + name, overrides);
  }

  /** A scenario file if one exists at {@code nameOrPath}, else a built-in drill of that name. */
  public static Scenario resolve(String nameOrPath, Map<String, String> overrides) {
    Path p = Path.of(nameOrPath);
    if (Files.isRegularFile(p)) {
      return ScenarioParser.parse(p, overrides);
    }
    if (isBuiltin(nameOrPath)) {
      return load(nameOrPath, overrides);
    }
    throw new ScenarioException(List.of("'" + nameOrPath + "' is neither a scenario file nor a built-in drill;"
        + " built-ins: " + String.join(", ", NAMES)));
  }

  public static List<Scenario> all() {
    return NAMES.stream().map(n -> load(n, Map.of())).toList();
  }
}
