package io.pharos.cli;

import io.pharos.core.config.ConfigException;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a config file with the process environment. */
final class ConfigFiles {
  private ConfigFiles() {}

  static PharosConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** Reads a config file with {@code env} as its environment. */
  static PharosConfig load(Path file, java.util.Map<String, String> env) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
    try {
      return ConfigLoader.parse(yaml, env);
    } catch (ConfigException e) {
      throw new ConfigException(prefixed(file, e));
    }
  }

  private static java.util.List<String> prefixed(Path file, ConfigException e) {
    return e.problems().stream().map(p -> file.getFileName() + ": " + p).toList();
  }
}
