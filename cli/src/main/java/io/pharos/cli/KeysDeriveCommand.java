package io.pharos.cli;

import io.pharos.core.config.ConfigException;
import io.pharos.core.config.ConfigLoader;
import io.pharos.core.config.PharosConfig;
import io.pharos.core.config.SecurityConfig;
import io.pharos.core.security.MasterSecret;
import io.pharos.core.security.RegionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pharos keys derive --region R [--generation N]}: prints region R's report key, derived
 * from the controllers' master secret in the environment, as the one line an agent of R reads
 * from {@code PHAROS_REGION_KEY}. The key goes to standard output only (pipe it into the secret
 * store); nothing else is printed there.
 */
@Command(name = "derive", mixinStandardHelpOptions = true,
    description = "Print a region's report key (for its agents' PHAROS_REGION_KEY), derived from the master secret"
        + " in the environment (PHAROS_MASTER_SECRET, or security.masterSecretEnv of --config).")
final class KeysDeriveCommand implements Callable<Integer> {
  @Option(names = "--region", required = true, description = "the region whose agents get the key")
  String region;

  @Option(names = "--generation", defaultValue = "1",
      description = "key generation (1 until the first `pharos keys rotate`; a rotation prints the new one)")
  int generation;

  @Option(names = "--config", description = "Pharos config: checks the region and reads security.masterSecretEnv")
  Path config;

  @Override
  public Integer call() throws Exception {
    RegionKey key = derive(config == null ? null : Files.readString(config), System.getenv(), region, generation);
    System.out.println(key.format());
    System.err.println("region " + region + "'s report key, generation " + generation + ": a secret; give it to "
        + region + "'s agents only, as PHAROS_REGION_KEY");
    return 0;
  }

  /** The key, from the master secret the environment holds (the variable the config names, if any). */
  static RegionKey derive(String configYaml, Map<String, String> env, String region, int generation) {
    if (generation < 1) {
      throw new IllegalArgumentException("--generation must be at least 1, was " + generation);
    }
    MasterSecret master;
    if (configYaml != null) {
      PharosConfig cfg = ConfigLoader.parse(configYaml, env);
      if (cfg.region(region).isEmpty()) {
        throw new IllegalArgumentException("region '" + region + "' is not configured (configured: "
            + cfg.regionNames() + ")");
      }
      master = cfg.security().requireMasterSecret();
    } else {
      String secret = env.get(SecurityConfig.DEFAULT_MASTER_SECRET_ENV);
      if (secret == null || secret.isEmpty()) {
        throw new ConfigException("environment variable " + SecurityConfig.DEFAULT_MASTER_SECRET_ENV + " is not set:"
            + " run this where the controllers' master secret is (or pass --config to use security.masterSecretEnv)");
      }
      master = MasterSecret.of(secret);
    }
    if (!region.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException("'" + region + "' is not a valid region name");
    }
    return master.regionKey(region, generation);
  }
}
